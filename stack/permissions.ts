import * as pulumi from '@pulumi/pulumi';
import { KEYS } from '../lambda/shared/contract';
import { AllowStatement, ArnContext, arns } from './iam';

/** The physical names the functions' permissions refer to. */
export interface ResourceNames {
  readonly bucket: string;
  readonly table: string;
  readonly stateTable: string;
  readonly topic: string;
  readonly secret: string;
}

/**
 * Each function's own least-privilege statements (logs, X-Ray and its failure queue are added by the
 * LambdaFunction component). tests/iam proves them against the calls the functions really make: a
 * call without a grant, or a grant without a call, fails it. SECURITY.md's IAM matrix is generated
 * from the synthesized documents (`npm run iam-matrix`).
 */
export function validatorStatements(ctx: ArnContext, n: ResourceNames): AllowStatement[] {
  return [
    {
      // The bucket is versioned and every event names the version, which is what the validator
      // reads (it refuses an event without one); S3 then checks s3:GetObjectVersion only:
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions
      // Only `.csv` keys notify it.
      Sid: 'ReadUploads',
      Action: ['s3:GetObjectVersion'],
      Resource: [arns.bucketObjects(n.bucket, KEYS.uploadsPrefix, KEYS.uploadsSuffix)],
    },
    {
      // Manifests, and rejects files: a multipart upload (CreateMultipartUpload, UploadPart,
      // CompleteMultipartUpload) needs s3:PutObject only.
      Sid: 'WriteReports',
      Action: ['s3:PutObject'],
      Resource: [arns.bucketObjects(n.bucket, KEYS.reportsPrefix)],
    },
    {
      // A rejects file that fails or is discarded is aborted, so none of its parts is left billed;
      // only the rejects files are written by multipart upload (manifests are one small PutObject):
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
      Sid: 'AbortRejectsUploads',
      Action: ['s3:AbortMultipartUpload'],
      Resource: [arns.bucketObjects(n.bucket, KEYS.reportsPrefix, KEYS.rejectsSuffix)],
    },
    {
      Sid: 'StoreTransactions',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:PartiQLInsert'],
      Resource: [arns.table(ctx, n.table)],
    },
    {
      Sid: 'ReadCardHashKey',
      Action: ['secretsmanager:GetSecretValue'],
      Resource: [arns.secret(ctx, n.secret)],
    },
  ];
}

export function anomalyStatements(ctx: ArnContext, n: ResourceNames): AllowStatement[] {
  return [
    {
      Sid: 'ReadTableStream',
      Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      Resource: [arns.tableStreams(ctx, n.table)],
    },
    {
      // ListStreams supports no resource-level permission, `*` is the only valid resource:
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
      Sid: 'ListTableStreams',
      Action: ['dynamodb:ListStreams'],
      Resource: ['*'],
    },
    {
      // Entries and profile days go as PartiQL INSERT/UPDATE batches, alert claims as conditional
      // UpdateItem, reads as BatchGetItem: nothing else is needed (lambda/anomaly/state/).
      Sid: 'DetectorState',
      Action: [
        'dynamodb:BatchGetItem',
        'dynamodb:PartiQLInsert',
        'dynamodb:PartiQLUpdate',
        'dynamodb:UpdateItem',
      ],
      Resource: [arns.table(ctx, n.stateTable)],
    },
    { Sid: 'PublishAlerts', Action: ['sns:Publish'], Resource: [arns.topic(ctx, n.topic)] },
  ];
}

export function apiStatements(ctx: ArnContext, n: ResourceNames): AllowStatement[] {
  return [
    // Presigned PUT URLs carry the signer's permission: the API may only put what it signs (the
    // `.csv` file) and the `.issued` marker it writes itself, under uploads/.
    {
      Sid: 'PresignUploads',
      Action: ['s3:PutObject'],
      Resource: [
        arns.bucketObjects(n.bucket, KEYS.uploadsPrefix, KEYS.uploadsSuffix),
        arns.bucketObjects(n.bucket, KEYS.uploadsPrefix, KEYS.issuedSuffix),
      ],
    },
    // Reports only: uploads hold full card numbers and the API never reads them.
    {
      Sid: 'ReadReports',
      Action: ['s3:GetObject'],
      Resource: [arns.bucketObjects(n.bucket, KEYS.reportsPrefix)],
    },
    {
      // Whether an upload or its manifest exists is a listing of the exact key, under these prefixes only.
      Sid: 'ListUploadsAndReports',
      Action: ['s3:ListBucket'],
      Resource: [arns.bucket(n.bucket)],
      Condition: { StringLike: { 's3:prefix': [`${KEYS.uploadsPrefix}*`, `${KEYS.reportsPrefix}*`] } },
    },
    { Sid: 'QueryTransactions', Action: ['dynamodb:Query'], Resource: [arns.table(ctx, n.table)] },
  ];
}

/** Topic ARN as a plain function of its name: known at preview, unlike the topic's `arn` output. */
export function topicArn(ctx: ArnContext, topicName: string): pulumi.Output<string> {
  return arns.topic(ctx, topicName);
}
