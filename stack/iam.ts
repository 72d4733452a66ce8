import * as pulumi from '@pulumi/pulumi';

/**
 * IAM documents built from deterministic names, the region and the caller's account id, so every
 * document is known at the first `pulumi preview` and the least-privilege policy really checks it.
 */

export interface AllowStatement {
  readonly Sid: string;
  readonly Action: readonly string[];
  readonly Resource: readonly pulumi.Input<string>[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Where ARNs live: partition is always `aws` (us-east-1 only). */
export interface ArnContext {
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
}

export const arns = {
  bucket: (bucketName: string) => `arn:aws:s3:::${bucketName}`,
  /** Objects under `prefix`, optionally only those whose key ends with `suffix` (`uploads/*.csv`). */
  bucketObjects: (bucketName: string, prefix: string, suffix = '') =>
    `arn:aws:s3:::${bucketName}/${prefix}*${suffix}`,
  table: (ctx: ArnContext, tableName: string) =>
    pulumi.interpolate`arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableName}`,
  /** Stream labels are assigned at creation; `stream/*` scopes to this table's streams only. */
  tableStreams: (ctx: ArnContext, tableName: string) =>
    pulumi.interpolate`arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${tableName}/stream/*`,
  topic: (ctx: ArnContext, topicName: string) =>
    pulumi.interpolate`arn:aws:sns:${ctx.region}:${ctx.accountId}:${topicName}`,
  alarm: (ctx: ArnContext, alarmName: string) =>
    pulumi.interpolate`arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${alarmName}`,
  queue: (ctx: ArnContext, queueName: string) =>
    pulumi.interpolate`arn:aws:sqs:${ctx.region}:${ctx.accountId}:${queueName}`,
  /**
   * Secrets Manager appends `-` and six random characters to a secret's ARN; `??????` matches exactly
   * those, as AWS recommends: https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html
   */
  secret: (ctx: ArnContext, secretName: string) =>
    pulumi.interpolate`arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${secretName}-??????`,
  /** A role without a path, as LambdaFunction creates them. */
  role: (ctx: ArnContext, roleName: string) =>
    pulumi.interpolate`arn:aws:iam::${ctx.accountId}:role/${roleName}`,
  account: (ctx: ArnContext) => pulumi.interpolate`arn:aws:iam::${ctx.accountId}:root`,
  /** Log streams of one log group (CreateLogStream and PutLogEvents act on `log-group:NAME:*`). */
  logGroupStreams: (ctx: ArnContext, logGroupName: string) =>
    pulumi.interpolate`arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroupName}:*`,
  logGroup: (ctx: ArnContext, logGroupName: string) =>
    pulumi.interpolate`arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${logGroupName}`,
};

/**
 * X-Ray's write actions support no resource-level permissions, so `*` is the only valid resource:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html
 */
export const XRAY_WRITE_STATEMENT: AllowStatement = {
  Sid: 'XRayWriteTraces',
  Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  Resource: ['*'],
};

/** Writing the function's own log group, and nothing else in CloudWatch Logs. */
export function ownLogGroupStatement(ctx: ArnContext, logGroupName: string): AllowStatement {
  return {
    Sid: 'WriteOwnLogGroup',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [arns.logGroupStreams(ctx, logGroupName)],
  };
}

export function policyDocument(statements: readonly AllowStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: '2012-10-17',
    Statement: statements.map((s) => ({ Effect: 'Allow', ...s })),
  });
}

/** A trust policy that lets exactly one AWS service assume the role. */
export function serviceTrustPolicy(service: 'lambda.amazonaws.com' | 'apigateway.amazonaws.com'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
