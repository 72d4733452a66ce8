/**
 * What the Lambda service does with each function's role, derived from the synthesized stack (no
 * function code makes these calls, so no recording can show them):
 * - writes the function's logs to its log group (CreateLogStream, PutLogEvents on a log stream);
 * - sends trace segments and telemetry when tracing is Active (X-Ray supports no resources: `*`);
 * - reads a DynamoDB stream for an event source mapping: DescribeStream, GetRecords,
 *   GetShardIterator on the stream and ListStreams on `*`, the permissions AWS documents for it
 *   (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#events-dynamodb-permissions);
 * - sends what still fails to the mapping's or the async config's on-failure destination with the
 *   function's role (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html);
 * - decrypts environment variables with a customer-managed key, when one is set.
 * A source or destination of another kind fails here, so that its permissions are added, not missed.
 */
import type { IamRequest } from './action-map';
import type { StackModel } from './stack-model';

export interface Attempt {
  /** The role whose policy AWS evaluates. */
  readonly role: string;
  /** The function whose role it is (the session name). */
  readonly functionName: string;
  /** Where the request comes from, for messages: the recorded call or the Lambda service's job. */
  readonly origin: string;
  readonly request: IamRequest;
}

function request(action: string, resource: string, context = {}): IamRequest {
  return { action, resource, context };
}

function destinationRequests(model: StackModel, arn: string): IamRequest[] {
  if (arn.startsWith('arn:aws:sqs:')) {
    const queue = model.queues.get(arn.split(':').pop() ?? '');
    if (!queue) throw new Error(`on-failure destination ${arn} is not a queue of the stack`);
    const key = queue.kmsKeyId;
    const keyArn = key?.startsWith('arn:')
      ? key
      : `arn:aws:kms:${model.region}:${model.accountId}:key/${key}`;
    const via = { 'kms:ViaService': `sqs.${model.region}.amazonaws.com` };
    return [
      request('sqs:SendMessage', arn),
      ...(key
        ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
            ...request(action, keyArn, via),
            resourcePolicy: model.keys.get(key),
          }))
        : []),
    ];
  }
  if (arn.startsWith('arn:aws:sns:')) return [request('sns:Publish', arn)];
  throw new Error(
    `on-failure destination ${arn}: its permissions are not derived yet (tests/iam/lambda-service.ts)`,
  );
}

function streamRequests(eventSourceArn: string): IamRequest[] {
  if (/^arn:aws:dynamodb:[^:]+:[^:]+:table\/[^/]+\/stream\//.test(eventSourceArn)) {
    return [
      request('dynamodb:DescribeStream', eventSourceArn),
      request('dynamodb:GetShardIterator', eventSourceArn),
      request('dynamodb:GetRecords', eventSourceArn),
      request('dynamodb:ListStreams', '*'),
    ];
  }
  throw new Error(
    `event source ${eventSourceArn}: its permissions are not derived yet (tests/iam/lambda-service.ts)`,
  );
}

/** Every request the Lambda service makes with each function's role. */
export function lambdaServiceAttempts(model: StackModel): Attempt[] {
  const attempts: Attempt[] = [];
  for (const fn of model.functions) {
    const add = (origin: string, requests: IamRequest[]) =>
      requests.forEach((r) =>
        attempts.push({
          role: fn.roleName,
          functionName: fn.name,
          origin: `Lambda service: ${origin}`,
          request: r,
        }),
      );
    const stream = `arn:aws:logs:${model.region}:${model.accountId}:log-group:${fn.logGroup}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`;
    add(`logs of ${fn.name}`, [
      request('logs:CreateLogStream', stream),
      request('logs:PutLogEvents', stream),
    ]);
    if (fn.tracingActive)
      add(`traces of ${fn.name}`, [
        request('xray:PutTraceSegments', '*'),
        request('xray:PutTelemetryRecords', '*'),
      ]);
    if (fn.kmsKeyArn)
      add(`environment of ${fn.name}`, [
        { ...request('kms:Decrypt', fn.kmsKeyArn), resourcePolicy: model.keys.get(fn.kmsKeyArn) },
      ]);
    for (const mapping of model.streamMappings.filter((m) => m.functionName === fn.name)) {
      add(
        `event source mapping ${mapping.eventSourceArn} -> ${fn.name}`,
        streamRequests(mapping.eventSourceArn),
      );
      if (mapping.onFailureArn)
        add(`failed stream batches of ${fn.name}`, destinationRequests(model, mapping.onFailureArn));
    }
    const asyncDestination = model.asyncFailureDestinations.get(fn.name);
    if (asyncDestination)
      add(`failed async events of ${fn.name}`, destinationRequests(model, asyncDestination));
  }
  return attempts;
}
