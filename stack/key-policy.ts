import * as pulumi from '@pulumi/pulumi';
import { ArnContext, arns } from './iam';

/**
 * The key policy of the card-hash key (SECURITY.md, "The card-hash key"). KMS decides access to a
 * key from its key policy first: an IAM policy counts only where the key policy lets the account
 * delegate, so what is not delegated here nobody can be granted elsewhere.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html
 */

/**
 * What the account may do with the key without being able to use it: manage it, never encrypt or
 * decrypt. AWS requires a key to stay manageable by the account (a key nobody may administer can
 * only be recovered by AWS Support), and `pulumi up`/`destroy` need exactly these.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:ListKeyRotations',
  'kms:RotateKeyOnDemand',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateKeyDescription',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:ListGrants',
  'kms:RevokeGrant',
] as const;

export interface CardHashKeyPolicyArgs {
  readonly arnContext: ArnContext;
  /** The one role that reads the secret at run time (the validator's). */
  readonly readerRoleName: string;
  /** Who runs `pulumi up`: the caller identity's ARN (a user, or an assumed-role session). */
  readonly deployerArn: pulumi.Input<string>;
  /** The secret the key protects, by name (for the key's description). */
  readonly secretName: string;
}

/**
 * The principal ARNs `aws:PrincipalArn` takes for the deployer. An assumed-role session is matched
 * by its role, at any path (the session ARN drops the path, and role names are unique in an account);
 * a user or the root is matched as it is.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function deployerPrincipalArns(callerArn: string): string[] {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  if (!session) return [callerArn];
  const [, account, role] = session;
  return [`arn:aws:iam::${account}:role/${role}`, `arn:aws:iam::${account}:role/*/${role}`];
}

/** The key policy, as JSON; every part is known at the first preview. */
export function cardHashKeyPolicy(args: CardHashKeyPolicyArgs): pulumi.Output<string> {
  const ctx = args.arnContext;
  // Through Secrets Manager only. The key encrypts this one secret, so no encryption-context
  // condition narrows it further (tests/iam's evaluator cannot read `kms:EncryptionContext:` keys,
  // and a condition the proof cannot evaluate would be a grant nobody has shown to work).
  const throughSecretsManager = {
    StringEquals: { 'kms:ViaService': `secretsmanager.${ctx.region}.amazonaws.com` },
  };
  return pulumi.jsonStringify({
    Version: '2012-10-17',
    Id: 'card-hash-key',
    Statement: [
      {
        Sid: 'AccountAdministersTheKey',
        Effect: 'Allow',
        Principal: { AWS: arns.account(ctx) },
        Action: [...KEY_ADMINISTRATION_ACTIONS],
        Resource: '*',
      },
      {
        // The key policy alone grants it: the role needs no kms statement of its own.
        Sid: 'ValidatorReadsTheSecret',
        Effect: 'Allow',
        Principal: { AWS: arns.role(ctx, args.readerRoleName) },
        Action: ['kms:Decrypt'],
        Resource: '*',
        Condition: throughSecretsManager,
      },
      {
        // Storing a value asks Secrets Manager for a data key, and the provider reads the value back
        // after writing it (GetSecretValue): the deployer, and no one else in the account.
        Sid: 'DeployerWritesTheSecret',
        Effect: 'Allow',
        Principal: { AWS: arns.account(ctx) },
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: '*',
        Condition: {
          ...throughSecretsManager,
          ArnLike: { 'aws:PrincipalArn': pulumi.output(args.deployerArn).apply(deployerPrincipalArns) },
        },
      },
    ],
  });
}
