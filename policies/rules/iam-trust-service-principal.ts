import { resourcePolicy } from '../lib/define';
import { parsePolicyDocument, statementLabel } from '../lib/iam-document';
import { describe } from '../lib/values';

interface Config {
  allowedServicePrincipals: string[];
}

export const iamTrustServicePrincipal = resourcePolicy<{ assumeRolePolicy?: unknown }, Config>(
  {
    id: 'iam-trust-service-principal',
    displayName: 'Roles trust only their service principal',
    description:
      'Every IAM role trust policy must let only an allowed AWS service principal (default lambda.amazonaws.com and apigateway.amazonaws.com) call sts:AssumeRole. No account, user, federated or "*" principal may assume the roles that can read card data.',
    enforcementLevel: 'mandatory',
    severity: 'critical',
    controls: { pciDss: ['7.2.1', '7.2.5'] },
    remediationSteps:
      'Set the assumeRolePolicy to `{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }` (the service that runs the code).',
    url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-service.html',
    config: {
      allowedServicePrincipals: {
        type: 'array',
        items: { type: 'string' },
        default: ['lambda.amazonaws.com', 'apigateway.amazonaws.com'],
      },
    },
  },
  ['aws:iam/role:Role'],
  ({ props, config, report }) => {
    const parsed = parsePolicyDocument(props.assumeRolePolicy);
    if (!parsed.ok) {
      report(`assumeRolePolicy should be a valid policy document; found that ${parsed.error}.`);
      return;
    }
    const allowed = config.allowedServicePrincipals.map((p) => `Service:${p}`);
    parsed.statements.forEach((s, index) => {
      if (s.effect !== 'Allow') return;
      const label = statementLabel(s, index);
      if (s.hasNotPrincipal) report(`${label} should name a service Principal; found NotPrincipal.`);
      const others = s.principals.filter((p) => !allowed.includes(p));
      if (s.principals.length === 0 || others.length) {
        report(
          `${label} should trust only ${config.allowedServicePrincipals.join(' or ')}; found principals ${describe(s.principals)}.`,
        );
      }
      if (s.actions.length !== 1 || s.actions[0] !== 'sts:AssumeRole' || s.notActions.length) {
        report(`${label} should allow only sts:AssumeRole; found ${describe(s.actions)}.`);
      }
    });
  },
);
