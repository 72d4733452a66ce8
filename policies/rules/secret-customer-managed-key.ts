import type { PolicyResource } from '@pulumi/policy';
import { stackPolicy } from '../lib/define';
import { knownOrUndefined, peek } from '../lib/unknown';
import { describe } from '../lib/values';

const SECRET = 'aws:secretsmanager/secret:Secret';
const KEY = 'aws:kms/key:Key';

/** The ways a secret may refer to a key: its ARN, its id, or its key id. */
function references(key: PolicyResource): unknown[] {
  return ['arn', 'id', 'keyId'].map((field) => knownOrUndefined(key.props, field)).filter(Boolean);
}

/**
 * The key of this stack a secret's kmsKeyId designates: by value when both are known, otherwise by
 * the dependency the engine records for the property (a new key's ARN is unknown at the first
 * preview). An AWS managed key is never one of them.
 */
function keyOf(secret: PolicyResource, keys: PolicyResource[]): PolicyResource | undefined {
  const value = knownOrUndefined(secret.props, 'kmsKeyId');
  if (typeof value === 'string' && value.startsWith('alias/aws/')) return undefined;
  const byValue = keys.find((k) => value !== undefined && references(k).includes(value));
  if (byValue) return byValue;
  const deps = secret.propertyDependencies.kmsKeyId ?? [];
  return keys.find(
    (k) => deps.some((d) => d.urn === k.urn) && (value === undefined || references(k).length === 0),
  );
}

export const secretCustomerManagedKey = stackPolicy(
  {
    id: 'secret-customer-managed-key',
    displayName: 'Secrets are encrypted with a customer-managed key of the stack',
    description:
      'Every Secrets Manager secret must set kmsKeyId to a customer-managed KMS key declared in this stack, never the AWS managed aws/secretsmanager key. The card-hash secret is the key that protects stored card numbers; its own key must be rotated and its key policy scoped (kms-key-rotation, kms-key-decrypt-scoped), which only a key of the stack can be.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['3.6.1', '3.7.3'] },
    remediationSteps:
      'Declare an aws.kms.Key (rotation on, scoped key policy) and set `kmsKeyId: key.arn` on the aws.secretsmanager.Secret.',
    url: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html',
  },
  ({ resources, report }) => {
    const keys = resources.filter((r) => r.type === KEY);
    for (const secret of resources.filter((r) => r.type === SECRET)) {
      if (peek(secret.props, 'kmsKeyId').state === 'absent') {
        report(
          'kmsKeyId should name a customer-managed KMS key of this stack; found not set (the AWS managed aws/secretsmanager key).',
          secret.urn,
        );
      } else if (!keyOf(secret, keys)) {
        report(
          `kmsKeyId should name a customer-managed KMS key of this stack; found ${describe(
            knownOrUndefined(secret.props, 'kmsKeyId') ?? 'a value that depends on no key of the stack',
          )}.`,
          secret.urn,
        );
      }
    }
  },
);
