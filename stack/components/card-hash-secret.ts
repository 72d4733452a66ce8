import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
import { tagsFor } from '../tags';

export interface CardHashSecretArgs {
  readonly secretName: string;
  /** The customer-managed key that encrypts the value (CardHashKey); without it, aws/secretsmanager. */
  readonly kmsKeyId?: pulumi.Input<string>;
}

/**
 * The HMAC key for card numbers (PCI DSS v4.0.1 3.5.1: keyed cryptographic hashes of the entire PAN).
 * The value is generated once and kept in state, so it is stable across deployments and hashes stay
 * comparable; the secret is deleted without a recovery window so the stack is destroyable.
 * Only the validator's role may read it (see SECURITY.md, IAM matrix), and only the validator may
 * decrypt it when a customer-managed key encrypts it (CardHashKey).
 */
export class CardHashSecret extends pulumi.ComponentResource {
  public readonly secret: aws.secretsmanager.Secret;

  constructor(name: string, args: CardHashSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:security:CardHashSecret', name, {}, opts);
    const key = new random.RandomPassword(
      `${name}-value`,
      { length: 64, special: false }, // 64 alphanumerics: ~380 bits, above SHA-256's block-size guidance
      { parent: this },
    );
    this.secret = new aws.secretsmanager.Secret(
      `${name}-secret`,
      {
        name: args.secretName,
        description: 'HMAC-SHA-256 key for card numbers; read by the validator only.',
        recoveryWindowInDays: 0,
        kmsKeyId: args.kmsKeyId,
        tags: tagsFor(args.secretName),
      },
      { parent: this },
    );
    new aws.secretsmanager.SecretVersion(
      `${name}-version`,
      { secretId: this.secret.id, secretString: key.result },
      { parent: this },
    );
    this.registerOutputs({ secretName: this.secret.name });
  }
}
