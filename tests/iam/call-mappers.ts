/**
 * The mappers the call -> IAM table (action-map.ts) is made of: how an operation's recorded
 * parameters become IAM requests on the stack's resources, with the special cases listed there.
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

export type Mapper = (call: RecordedCall, model: StackModel) => IamRequest[];

export class CallMappingError extends Error {
  override readonly name = 'CallMappingError';
}

export function describeCall(call: RecordedCall): string {
  return `${call.principal} ${call.service}:${call.operation} ${JSON.stringify(call.params)}`;
}

function param(call: RecordedCall, field: string): string {
  const value = call.params[field];
  if (typeof value !== 'string') throw new CallMappingError(`${describeCall(call)} has no ${field}`);
  return value;
}

function bucketRequest(call: RecordedCall, model: StackModel, action: string, resource: string) {
  const bucket = param(call, 'Bucket');
  if (!model.buckets.has(bucket))
    throw new CallMappingError(
      `${describeCall(call)} names bucket ${bucket}, which the stack does not declare`,
    );
  return { action, resource, context: {}, resourcePolicy: model.buckets.get(bucket) };
}

export function objectAction(action: string): Mapper {
  return function objectRequest(call, model) {
    const object = `arn:aws:s3:::${param(call, 'Bucket')}/${param(call, 'Key')}`;
    return [bucketRequest(call, model, action, object)];
  };
}

export function readObject(call: RecordedCall, model: StackModel): IamRequest[] {
  return objectAction(call.params.VersionId ? 's3:GetObjectVersion' : 's3:GetObject')(call, model);
}

export function listBucket(call: RecordedCall, model: StackModel): IamRequest[] {
  const request = bucketRequest(call, model, 's3:ListBucket', `arn:aws:s3:::${param(call, 'Bucket')}`);
  const prefix = call.params.Prefix;
  const context: Record<string, string> = typeof prefix === 'string' ? { 's3:prefix': prefix } : {};
  return [{ ...request, context }];
}

function tableArn(call: RecordedCall, model: StackModel, table: string | undefined): string {
  const arn = table === undefined ? undefined : model.tables.get(table);
  if (!arn)
    throw new CallMappingError(
      `${describeCall(call)} names table ${table}, which the stack does not declare`,
    );
  return arn;
}

export function perTable(action: string): Mapper {
  return function tableRequest(call, model) {
    const arn = tableArn(call, model, param(call, 'TableName'));
    const index = call.params.IndexName;
    return [{ action, resource: typeof index === 'string' ? `${arn}/index/${index}` : arn, context: {} }];
  };
}

export function perRequestItem(action: string): Mapper {
  return function requestItemsRequests(call, model) {
    const tables = (call.params.RequestItems as string[] | undefined) ?? [];
    return tables.map((table) => ({ action, resource: tableArn(call, model, table), context: {} }));
  };
}

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

export function partiql(call: RecordedCall, model: StackModel): IamRequest[] {
  const one = call.params.Statement as StatementTarget | undefined;
  const many = (call.params.Statements as StatementTarget[] | undefined) ?? [];
  return byVerb(call, model, one ? [one] : many, PARTIQL);
}

export function transact(call: RecordedCall, model: StackModel): IamRequest[] {
  return byVerb(call, model, (call.params.TransactItems as StatementTarget[] | undefined) ?? [], TRANSACT);
}

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
export function getSecret(call: RecordedCall, model: StackModel): IamRequest[] {
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
}

export function publish(call: RecordedCall, model: StackModel): IamRequest[] {
  const arn = typeof call.params.TopicArn === 'string' ? call.params.TopicArn : param(call, 'TargetArn');
  const topic = model.topics.get(arn);
  if (!topic)
    throw new CallMappingError(`${describeCall(call)} names topic ${arn}, which the stack does not declare`);
  return [
    { action: 'sns:Publish', resource: arn, context: {} },
    ...viaKey(model, topic.kmsKeyId, 'sns', ['kms:GenerateDataKey', 'kms:Decrypt']),
  ];
}

/** A queue named by its URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function queueAction(action: string, keyActions: string[]): Mapper {
  return function queueRequest(call, model) {
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
}
