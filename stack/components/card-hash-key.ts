import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { cardHashKeyPolicy, CardHashKeyPolicyArgs } from '../key-policy';
import { tagsFor } from '../tags';

export interface CardHashKeyArgs extends CardHashKeyPolicyArgs {
  /** The key's Name tag (keys have no name of their own). */
  readonly keyName: string;
  /** The reader's role resource: KMS refuses a key policy naming a principal that does not exist yet. */
  readonly readerRole: pulumi.Resource;
  /** Days between automatic rotations of the key material (KMS allows 90 to 2560). @default 365 */
  readonly rotationPeriodDays?: number;
}

/**
 * A customer-managed KMS key for the card-hash secret (PCI DSS v4.0.1 3.6, 3.7): rotated
 * automatically, and usable only through Secrets Manager, for that secret, by the validator (and by
 * the deployer, who writes the value). See stack/key-policy.ts and SECURITY.md.
 */
export class CardHashKey extends pulumi.ComponentResource {
  public readonly key: aws.kms.Key;

  constructor(name: string, args: CardHashKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:security:CardHashKey', name, {}, opts);
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `${args.keyName}: encrypts the card-hash secret ${args.secretName}`,
        keyUsage: 'ENCRYPT_DECRYPT',
        customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
        enableKeyRotation: true,
        rotationPeriodInDays: args.rotationPeriodDays ?? 365,
        // KMS never deletes a key at once: 7 days is its shortest waiting period. A destroyed stack
        // leaves the key pending deletion for a week, which blocks nothing (keys have no names).
        deletionWindowInDays: 7,
        policy: cardHashKeyPolicy(args),
        tags: tagsFor(args.keyName),
      },
      { parent: this, dependsOn: [args.readerRole] },
    );
    this.registerOutputs({ keyArn: this.key.arn });
  }
}
