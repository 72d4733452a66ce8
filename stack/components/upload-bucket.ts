import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { KEYS } from '../../lambda/shared/contract';
import { arns } from '../iam';
import { denyInsecureTransport, expiryLifecycle, privateBucket } from './private-bucket';

export interface UploadBucketArgs {
  readonly bucketName: string;
  readonly accountId: pulumi.Input<string>;
  /** The validator, invoked for each `.csv` created under `uploads/`. */
  readonly validator: aws.lambda.Function;
  /** Days after which objects and noncurrent versions expire. @default 90 */
  readonly expirationDays?: number;
}

/**
 * The merchants' upload bucket: versioned, private, encrypted, TLS only, expiring after 90 days, and
 * wired to the validator for `uploads/**.csv` only (reports written under `reports/` do not trigger it).
 */
export class UploadBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;

  constructor(name: string, args: UploadBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:storage:UploadBucket', name, {}, opts);
    const days = args.expirationDays ?? 90;
    const bucketArn = arns.bucket(args.bucketName);
    const child = { parent: this };

    const created = privateBucket(name, args.bucketName, this);
    this.bucket = created.bucket;
    const bucket = this.bucket.bucket;
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket,
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [denyInsecureTransport(bucketArn)],
        }),
      },
      // S3 refuses policy changes while the public access block is being applied.
      { parent: this, dependsOn: [created.publicAccess] },
    );
    expiryLifecycle(name, this, created, { id: `expire-after-${days}-days`, days });

    const permission = new aws.lambda.Permission(
      `${name}-invoke-validator`,
      {
        action: 'lambda:InvokeFunction',
        function: args.validator.name,
        principal: 's3.amazonaws.com',
        sourceArn: bucketArn,
        // Bucket names are global: the account pins the permission to our bucket, not a re-created one.
        sourceAccount: args.accountId,
      },
      child,
    );
    new aws.s3.BucketNotification(
      `${name}-notify-validator`,
      {
        bucket,
        lambdaFunctions: [
          {
            lambdaFunctionArn: args.validator.arn,
            events: ['s3:ObjectCreated:*'],
            filterPrefix: KEYS.uploadsPrefix,
            filterSuffix: KEYS.uploadsSuffix,
          },
        ],
      },
      // S3 checks it may invoke the function when the notification is saved.
      { parent: this, dependsOn: [permission] },
    );

    this.registerOutputs({ bucketName: bucket });
  }
}
