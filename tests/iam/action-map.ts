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
 * - multipart parts -> s3:PutObject; AbortMultipartUpload -> s3:AbortMultipartUpload;
 * - BatchExecuteStatement/ExecuteStatement -> dynamodb:PartiQL<Verb> per statement, on its table
 *   (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html);
 * - TransactWriteItems -> PutItem/UpdateItem/DeleteItem/ConditionCheckItem per item; TransactGetItems
 *   -> GetItem per item; BatchGetItem/BatchWriteItem -> the action on every table named;
 *   Query/Scan on an index -> the index ARN (`table/NAME/index/INDEX`);
 * - a secret named by name -> `secret:NAME-??????` with a random six-character suffix;
 * - a customer-managed KMS key on a secret, topic or queue -> kms:Decrypt / kms:GenerateDataKey on it,
 *   via that service (`kms:ViaService`), evaluated with the key policy.
 */
import type { RecordedCall, StatementTarget } from '../../lambda/shared/call-recorder';
import type { PolicyDocument, StackModel } from './stack-model';

export interface IamRequest {
  readonly action: string;
  /** An ARN, or `*` for actions that support no resource-level permission. */
  readonly resource: string;
  readonly context: Readonly<Record<string, string | string[]>>;
  /** The resource policy that applies besides the role's policy (bucket policy, key policy). */
  readonly resourcePolicy?: PolicyDocument;
}

type Mapper = (call: RecordedCall, model: StackModel) => IamRequest[];

export class CallMappingError extends Error {
  override readonly name = 'CallMappingError';
}

export const describeCall = (call: RecordedCall): string =>
  `${call.principal} ${call.service}:${call.operation} ${JSON.stringify(call.params)}`;

const param = (call: RecordedCall, field: string): string => {
  const value = call.params[field];
  if (typeof value !== 'string') throw new CallMappingError(`${describeCall(call)} has no ${field}`);
  return value;
};

function bucketRequest(call: RecordedCall, model: StackModel, action: string, resource: string) {
  const bucket = param(call, 'Bucket');
  if (!model.buckets.has(bucket))
    throw new CallMappingError(
      `${describeCall(call)} names bucket ${bucket}, which the stack does not declare`,
    );
  return { action, resource, context: {}, resourcePolicy: model.buckets.get(bucket) };
}

const objectAction =
  (action: string): Mapper =>
  (call, model) => [
    bucketRequest(call, model, action, `arn:aws:s3:::${param(call, 'Bucket')}/${param(call, 'Key')}`),
  ];

const readObject: Mapper = (call, model) =>
  objectAction(call.params.VersionId ? 's3:GetObjectVersion' : 's3:GetObject')(call, model);

const listBucket: Mapper = (call, model) => {
  const request = bucketRequest(call, model, 's3:ListBucket', `arn:aws:s3:::${param(call, 'Bucket')}`);
  const prefix = call.params.Prefix;
  const context: Record<string, string> = typeof prefix === 'string' ? { 's3:prefix': prefix } : {};
  return [{ ...request, context }];
};

function tableArn(call: RecordedCall, model: StackModel, table: string | undefined): string {
  const arn = table === undefined ? undefined : model.tables.get(table);
  if (!arn)
    throw new CallMappingError(
      `${describeCall(call)} names table ${table}, which the stack does not declare`,
    );
  return arn;
}

const perTable =
  (action: string): Mapper =>
  (call, model) => {
    const arn = tableArn(call, model, param(call, 'TableName'));
    const index = call.params.IndexName;
    return [{ action, resource: typeof index === 'string' ? `${arn}/index/${index}` : arn, context: {} }];
  };

const perRequestItem =
  (action: string): Mapper =>
  (call, model) =>
    ((call.params.RequestItems as string[] | undefined) ?? []).map((table) => ({
      action,
      resource: tableArn(call, model, table),
      context: {},
    }));

const PARTIQL: Record<string, string> = {
  INSERT: 'dynamodb:PartiQLInsert',
  SELECT: 'dynamodb:PartiQLSelect',
  UPDATE: 'dynamodb:PartiQLUpdate',
  DELETE: 'dynamodb:PartiQLDelete',
};
const TRANSACT: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

function byVerb(
  call: RecordedCall,
  model: StackModel,
  targets: StatementTarget[],
  actions: Record<string, string>,
) {
  return targets.map((target) => {
    const action = actions[target.verb];
    if (!action) throw new CallMappingError(`${describeCall(call)}: no IAM action for ${target.verb}`);
    return { action, resource: tableArn(call, model, target.table), context: {} };
  });
}

const partiql: Mapper = (call, model) => {
  const one = call.params.Statement as StatementTarget | undefined;
  const many = (call.params.Statements as StatementTarget[] | undefined) ?? [];
  return byVerb(call, model, one ? [one] : many, PARTIQL);
};
const transact: Mapper = (call, model) =>
  byVerb(call, model, (call.params.TransactItems as StatementTarget[] | undefined) ?? [], TRANSACT);

/** kms:<action> on a customer-managed key, as `service` uses it for the caller. */
function viaKey(
  model: StackModel,
  keyId: string | undefined,
  service: string,
  actions: string[],
): IamRequest[] {
  if (!keyId) return [];
  const resource = keyId.startsWith('arn:')
    ? keyId
    : `arn:aws:kms:${model.region}:${model.accountId}:key/${keyId}`;
  const context = { 'kms:ViaService': `${service}.${model.region}.amazonaws.com` };
  return actions.map((action) => ({ action, resource, context, resourcePolicy: model.keys.get(keyId) }));
}

/** Secrets Manager adds `-` and six random characters to the ARN of a secret named by its name. */
const getSecret: Mapper = (call, model) => {
  const id = param(call, 'SecretId');
  const name = id.startsWith('arn:') ? id.split(':secret:')[1].replace(/-[A-Za-z0-9]{6}$/, '') : id;
  const secret = model.secrets.get(name);
  if (!secret)
    throw new CallMappingError(
      `${describeCall(call)} names secret ${name}, which the stack does not declare`,
    );
  const resource = `arn:aws:secretsmanager:${model.region}:${model.accountId}:secret:${name}-Ab12Cd`;
  return [
    { action: 'secretsmanager:GetSecretValue', resource, context: {} },
    ...viaKey(model, secret.kmsKeyId, 'secretsmanager', ['kms:Decrypt']),
  ];
};

const publish: Mapper = (call, model) => {
  const arn = typeof call.params.TopicArn === 'string' ? call.params.TopicArn : param(call, 'TargetArn');
  const topic = model.topics.get(arn);
  if (!topic)
    throw new CallMappingError(`${describeCall(call)} names topic ${arn}, which the stack does not declare`);
  return [
    { action: 'sns:Publish', resource: arn, context: {} },
    ...viaKey(model, topic.kmsKeyId, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']),
  ];
};

/** A queue named by its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
const queueAction =
  (action: string, keyActions: string[]): Mapper =>
  (call, model) => {
    const name = param(call, 'QueueUrl').split('/').pop() ?? '';
    const queue = model.queues.get(name);
    if (!queue)
      throw new CallMappingError(
        `${describeCall(call)} names queue ${name}, which the stack does not declare`,
      );
    return [
      { action, resource: queue.arn, context: {} },
      ...viaKey(model, queue.kmsKeyId, 'sqs', keyActions),
    ];
  };

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
