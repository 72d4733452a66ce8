/**
 * From a recorded SDK call to the IAM requests AWS authorizes for it: ONE table, keyed by
 * `<client>:<operation>` as the recorder names them (lambda/shared/call-recorder.ts).
 *
 * Adding an operation is one row: `'DynamoDB:GetItem': perTable('dynamodb:GetItem')`. Resources
 * are resolved by name from the synthesized stack (a table's ARN from its name, a secret's ARN with
 * its random suffix), so a new table or queue needs no row, only its operations do. A call with no
 * row fails the proof, naming it; so does a call on a resource the stack does not declare.
 *
 * The special cases, with AWS's reference for each:
 * - GetObject/HeadObject naming a version -> s3:GetObjectVersion, otherwise s3:GetObject
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_Permissions);
 * - ListObjectsV2 -> s3:ListBucket on the bucket, with `s3:prefix` from Prefix
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html);
 * - CreateMultipartUpload, UploadPart, CompleteMultipartUpload -> s3:PutObject; AbortMultipartUpload ->
 *   s3:AbortMultipartUpload (https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions);
 * - BatchExecuteStatement/ExecuteStatement -> dynamodb:PartiQL<Verb> per statement, on its table
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html);
 * - TransactWriteItems -> PutItem/UpdateItem/DeleteItem/ConditionCheckItem per item; TransactGetItems
 *   -> GetItem per item; BatchGetItem/BatchWriteItem -> the action on every table named;
 *   Query/Scan on an index -> the index ARN (`table/NAME/index/INDEX`);
 * - a secret named by name -> `secret:NAME-??????` with a random six-character suffix;
 * - a customer-managed KMS key on a secret, topic or queue -> kms:Decrypt / kms:GenerateDataKey on it,
 *   via that service (`kms:ViaService`), evaluated with the key policy.
 */
import type { RecordedCall } from '../../lambda/shared/call-recorder';
import {
  CallMappingError,
  describeCall,
  getSecret,
  listBucket,
  objectAction,
  partiql,
  perRequestItem,
  perTable,
  publish,
  queueAction,
  readObject,
  transact,
  type IamRequest,
  type Mapper,
} from './call-mappers';
import type { StackModel } from './stack-model';

export { CallMappingError, describeCall, type IamRequest } from './call-mappers';

/** The table: `<client>:<operation>` -> IAM requests. Add a row for a new operation. */
export const CALL_TO_IAM: Readonly<Record<string, Mapper>> = {
  'S3:GetObject': readObject,
  'S3:HeadObject': readObject,
  'S3:PutObject': objectAction('s3:PutObject'),
  'S3:CreateMultipartUpload': objectAction('s3:PutObject'),
  'S3:UploadPart': objectAction('s3:PutObject'),
  'S3:CompleteMultipartUpload': objectAction('s3:PutObject'),
  'S3:AbortMultipartUpload': objectAction('s3:AbortMultipartUpload'),
  'S3:DeleteObject': objectAction('s3:DeleteObject'),
  'S3:ListObjectsV2': listBucket,
  'DynamoDB:GetItem': perTable('dynamodb:GetItem'),
  'DynamoDB:PutItem': perTable('dynamodb:PutItem'),
  'DynamoDB:UpdateItem': perTable('dynamodb:UpdateItem'),
  'DynamoDB:DeleteItem': perTable('dynamodb:DeleteItem'),
  'DynamoDB:Query': perTable('dynamodb:Query'),
  'DynamoDB:Scan': perTable('dynamodb:Scan'),
  'DynamoDB:BatchGetItem': perRequestItem('dynamodb:BatchGetItem'),
  'DynamoDB:BatchWriteItem': perRequestItem('dynamodb:BatchWriteItem'),
  'DynamoDB:TransactWriteItems': transact,
  'DynamoDB:TransactGetItems': transact,
  'DynamoDB:BatchExecuteStatement': partiql,
  'DynamoDB:ExecuteStatement': partiql,
  'SecretsManager:GetSecretValue': getSecret,
  'SNS:Publish': publish,
  'SQS:SendMessage': queueAction('sqs:SendMessage', ['kms:GenerateDataKey', 'kms:Decrypt']),
  'SQS:ReceiveMessage': queueAction('sqs:ReceiveMessage', ['kms:Decrypt']),
  'SQS:DeleteMessage': queueAction('sqs:DeleteMessage', []),
};

/** The IAM requests of one call; an operation without a row fails, naming the call. */
export function iamRequestsOf(call: RecordedCall, model: StackModel): IamRequest[] {
  const mapper = CALL_TO_IAM[`${call.service}:${call.operation}`];
  if (!mapper)
    throw new CallMappingError(
      `${describeCall(call)} has no row in tests/iam/action-map.ts (CALL_TO_IAM): add the IAM action(s) it needs`,
    );
  return mapper(call, model);
}
