/** Mutations breaking the card-hash key: its use by the secret, its rotation, its key policy. */
import { statements, type Case, type Props } from './case';
import { cardHashKey, cardHashSecret, operationsTopicKey } from '../selectors';

/** Replaces the key policy's statements with those `change` returns. */
const rewriteKeyPolicy = (p: Props, change: (statements: Props[]) => Props[]) => {
  const doc = statements(p);
  p.policy = JSON.stringify({ ...doc, Statement: change(doc.Statement) });
};
const bySid = (sid: string) => (s: Props) => s.Sid === sid;

export const KEY_CASES: Case[] = [
  {
    policy: 'secret-customer-managed-key',
    breaks: 'a secret on the AWS managed key',
    target: cardHashSecret,
    mutate: (p) => {
      delete p.kmsKeyId;
    },
    expected: 'kmsKeyId should name a customer-managed KMS key of this stack; found not set',
  },
  {
    policy: 'secret-customer-managed-key',
    breaks: 'a secret on a key named by alias',
    target: cardHashSecret,
    mutate: (p) => {
      p.kmsKeyId = 'alias/aws/secretsmanager';
    },
    expected:
      'kmsKeyId should name a customer-managed KMS key of this stack; found "alias/aws/secretsmanager".',
  },
  {
    policy: 'secret-customer-managed-key',
    breaks: 'the key removed from the stack',
    target: cardHashKey,
    mutate: () => false,
    expected: /^kmsKeyId should name a customer-managed KMS key of this stack; found "arn:aws:kms:/,
    at: [cardHashSecret],
  },
  {
    policy: 'kms-key-rotation',
    breaks: 'rotation off',
    target: cardHashKey,
    mutate: (p) => {
      p.enableKeyRotation = false;
    },
    expected: 'enableKeyRotation should be true; found false.',
  },
  {
    policy: 'kms-key-rotation',
    breaks: 'rotation not set',
    target: cardHashKey,
    mutate: (p) => {
      delete p.enableKeyRotation;
    },
    expected: 'enableKeyRotation should be true; found not set.',
  },
  {
    policy: 'kms-key-rotation',
    breaks: 'a cryptoperiod longer than a year',
    target: cardHashKey,
    mutate: (p) => {
      p.rotationPeriodInDays = 730;
    },
    expected: 'rotationPeriodInDays should be at most 365; found 730.',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: 'no key policy (the account-wide default)',
    target: cardHashKey,
    mutate: (p) => {
      delete p.policy;
    },
    expected: 'policy should be a key policy that scopes decryption; found not set',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: "AWS's default statement: the account may do everything",
    target: cardHashKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (s) =>
        s.map((st) => (bySid('AccountAdministersTheKey')(st) ? { ...st, Action: 'kms:*' } : st)),
      ),
    expected: 'statement "AccountAdministersTheKey" should name the principals that may decrypt',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: 'the account allowed to create grants',
    target: cardHashKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (s) =>
        s.map((st) =>
          bySid('AccountAdministersTheKey')(st)
            ? { ...st, Action: [...(st.Action as string[]), 'kms:CreateGrant'] }
            : st,
        ),
      ),
    expected: 'statement "AccountAdministersTheKey" should name the principals that may decrypt',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: 'anyone allowed to decrypt through Secrets Manager',
    target: cardHashKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (s) =>
        s.map((st) => (bySid('ValidatorReadsTheSecret')(st) ? { ...st, Principal: '*' } : st)),
      ),
    expected: 'statement "ValidatorReadsTheSecret" should name the principals that may decrypt',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: 'the deployer statement widened to the whole account',
    target: cardHashKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (s) =>
        s.map((st) => {
          if (!bySid('DeployerWritesTheSecret')(st)) return st;
          const { ArnLike: _dropped, ...rest } = st.Condition as Record<string, unknown>;
          return { ...st, Condition: rest };
        }),
      ),
    expected: 'statement "DeployerWritesTheSecret" should name the principals that may decrypt',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: 'the validator allowed to decrypt outside Secrets Manager',
    target: cardHashKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (s) =>
        s.map((st) => (bySid('ValidatorReadsTheSecret')(st) ? { ...st, Condition: undefined } : st)),
      ),
    expected:
      'statement "ValidatorReadsTheSecret" should allow decryption only through secretsmanager (kms:ViaService); found no kms:ViaService condition.',
  },
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: 'another role allowed to decrypt through another service',
    target: cardHashKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (s) => [
        ...s,
        {
          Sid: 'AnomalyDecrypts',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/role-anomaly-dev' },
          Action: 'kms:Decrypt',
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.us-east-1.amazonaws.com' } },
        },
      ]),
    expected:
      'statement "AnomalyDecrypts" should allow decryption only through secretsmanager (kms:ViaService); found ["dynamodb.us-east-1.amazonaws.com"].',
  },
];

/** The operations topic's key: CloudWatch uses it itself, held to this account's alarms. */
export const SERVICE_KEY_CASES: Case[] = [
  {
    policy: 'kms-key-decrypt-scoped',
    breaks: "CloudWatch's statement without the confused-deputy conditions",
    target: operationsTopicKey,
    mutate: (p) =>
      rewriteKeyPolicy(p, (sts) =>
        sts.map((s) =>
          s.Sid === 'CloudWatchAlarmsOfThisAccountPublish' ? { ...s, Condition: undefined } : s,
        ),
      ),
    expected: /statement "CloudWatchAlarmsOfThisAccountPublish" should allow decryption only through/,
  },
];
