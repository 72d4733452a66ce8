import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { arns } from '../iam';
import { denyInsecureTransport, expiryLifecycle, privateBucket } from './private-bucket';

export interface AccessLogBucketArgs {
  readonly bucketName: string;
  readonly accountId: pulumi.Input<string>;
  /** The bucket whose every request is recorded, by name (known at preview) and resource. */
  readonly source: { readonly bucketName: string; readonly bucket: aws.s3.Bucket };
  /** Days a log object (and a noncurrent version) is kept. @default 366 */
  readonly retentionDays?: number;
}

/**
 * The access trail of the uploads bucket (PCI DSS v4.0.1 10.2.1.1, 10.5.1): S3 server access logs
 * record every request on it — each read and write of `uploads/` objects, with requester, operation,
 * key, time and result — into this dedicated bucket, kept 366 days (12 months, leap years included).
 * Private, TLS only, versioned (a deleted or overwritten log stays as a noncurrent version for as
 * long), destroyable. Server access logging delivers only to a bucket whose default encryption is
 * SSE-S3, so this one uses AES256:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:storage:AccessLogBucket', name, {}, opts);
    const days = args.retentionDays ?? 366;
    const bucketArn = arns.bucket(args.bucketName);
    // One prefix per source bucket, so that another source can be added without mixing trails.
    const prefix = `${args.source.bucketName}/`;

    const created = privateBucket(name, args.bucketName, this);
    this.bucket = created.bucket;
    const bucket = this.bucket.bucket;
    const policy = new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: pulumi.jsonStringify({
          Version: '2012-10-17',
          Statement: [
            denyInsecureTransport(bucketArn),
            {
              // The logging service writes with its own principal; the source bucket and account pin
              // it to our bucket (confused-deputy protection), as AWS recommends.
              Sid: 'S3ServerAccessLogsFromSource',
              Effect: 'Allow',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Action: 's3:PutObject',
              Resource: `${bucketArn}/${prefix}*`,
              Condition: {
                ArnLike: { 'aws:SourceArn': arns.bucket(args.source.bucketName) },
                StringEquals: { 'aws:SourceAccount': args.accountId },
              },
            },
          ],
        }),
      },
      // S3 refuses policy changes while the public access block is being applied.
      { parent: this, dependsOn: [created.publicAccess] },
    );
    expiryLifecycle(name, this, created, { id: `keep-${days}-days`, days });
    new aws.s3.BucketLogging(
      `${name}-from-source`,
      {
        bucket: args.source.bucket.bucket,
        targetBucket: bucket,
        targetPrefix: prefix,
        // Date-partitioned keys (…/YYYY/MM/DD/…) by event time, so a period is found without a listing.
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
      },
      // S3 checks that it may write to the target when logging is turned on.
      { parent: this, dependsOn: [policy] },
    );

    this.registerOutputs({ bucketName: bucket });
  }
}
