import { resourcePolicy } from '../lib/define';
import { describe } from '../lib/values';

/** Without recoveryWindowInDays 0 a destroyed secret lingers 30 days and blocks re-creating the name. */
export const secretImmediateDeletion = resourcePolicy<{ recoveryWindowInDays?: number }>(
  {
    id: 'secret-immediate-deletion',
    displayName: 'Secrets are deleted without a recovery window',
    description:
      'Every Secrets Manager secret must set recoveryWindowInDays to 0. Otherwise a destroyed secret is only scheduled for deletion for up to 30 days, is retained, and blocks a new stack from reusing its name.',
    enforcementLevel: 'mandatory',
    severity: 'low',
    controls: { pciDss: ['3.2.1', '3.7.5'] },
    remediationSteps: 'Set `recoveryWindowInDays: 0` on the aws.secretsmanager.Secret.',
    url: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DeleteSecret.html',
  },
  ['aws:secretsmanager/secret:Secret'],
  ({ props, report }) => {
    if (props.recoveryWindowInDays !== 0) {
      report(`recoveryWindowInDays should be 0; found ${describe(props.recoveryWindowInDays)}.`);
    }
  },
);
