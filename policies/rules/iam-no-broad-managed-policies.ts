import { resourcePolicy } from '../lib/define';
import { knownOrUndefined } from '../lib/unknown';
import { asArray, type Props } from '../lib/values';

interface Config {
  forbiddenAwsManagedPolicyPattern: string;
}

const ROLE = 'aws:iam/role:Role';
const ATTACHMENTS = [
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  'aws:iam/policyAttachment:PolicyAttachment',
  'aws:iam/userPolicyAttachment:UserPolicyAttachment',
  'aws:iam/groupPolicyAttachment:GroupPolicyAttachment',
];

export const iamNoBroadManagedPolicies = resourcePolicy<Props, Config>(
  {
    id: 'iam-no-broad-managed-policies',
    displayName: 'No AWS managed admin, power-user or full-access policy is attached',
    description:
      'No role, user or group may be attached an AWS managed policy that grants administrator, power-user or full service access (AdministratorAccess, PowerUserAccess, any *FullAccess). Those policies grant every action of a service on every resource.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['7.2.1', '7.2.2'], fsbp: ['IAM.1'], cis: ['1.16'] },
    remediationSteps:
      'Detach the managed policy and write an inline aws.iam.RolePolicy with the exact actions and ARNs the role needs.',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html',
    config: {
      forbiddenAwsManagedPolicyPattern: {
        type: 'string',
        default:
          '^arn:aws[a-z-]*:iam::aws:policy/(.*/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess)$',
      },
    },
  },
  [...ATTACHMENTS, ROLE],
  ({ props, type, config, report }) => {
    const forbidden = new RegExp(config.forbiddenAwsManagedPolicyPattern);
    // AWS managed policy ARNs are literals; an unknown ARN is a policy created in this stack, whose
    // document iam-least-privilege checks.
    const arns =
      type === ROLE
        ? asArray<unknown>(knownOrUndefined(props, 'managedPolicyArns'))
        : [knownOrUndefined(props, 'policyArn')];
    for (const arn of arns) {
      if (typeof arn === 'string' && forbidden.test(arn)) {
        report(`attached policies should be least-privilege; found AWS managed policy "${arn}".`);
      }
    }
  },
);
