import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  AllowStatement,
  ArnContext,
  arns,
  ownLogGroupStatement,
  policyDocument,
  serviceTrustPolicy,
  XRAY_WRITE_STATEMENT,
} from '../iam';
import { functionArchive } from '../lambda-bundle';
import type { FunctionNames, FunctionPurpose } from '../naming';
import { tagsFor } from '../tags';

/** Reserved executions per function: bounds what one function can take of the account, and its cost. */
export const DEFAULT_RESERVED_CONCURRENCY = 10;

export interface StreamSourceArgs {
  readonly eventSourceArn: pulumi.Input<string>;
  /** Records per invocation. @default 100 */
  readonly batchSize?: number;
  /** Wait to fill a batch, so a file's rows are evaluated together. @default 5 */
  readonly maximumBatchingWindowInSeconds?: number;
  /** @default 3 */
  readonly maximumRetryAttempts?: number;
  /** @default 3600 */
  readonly maximumRecordAgeInSeconds?: number;
}

export interface LambdaFunctionArgs {
  /** Folder under `lambda/` holding `handler.ts`. */
  readonly functionDir: FunctionPurpose;
  /** The physical names of the function and what it owns (naming.ts computes them). */
  readonly names: FunctionNames;
  readonly arnContext: ArnContext;
  /** CloudWatch namespace of the function's own metrics (EMF); the alarms read them there. */
  readonly metricsNamespace: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, pulumi.Input<string>>;
  /** Least-privilege statements for this function's own work (logs and X-Ray are added here). */
  readonly statements: readonly AllowStatement[];
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 */
  readonly reservedConcurrency?: number;
  /** @default 7 */
  readonly logRetentionDays?: number;
  /** Size of /tmp in MB (512 to 10240). @default 512 */
  readonly ephemeralStorageMb?: number;
  /** Asynchronous invocations (S3 events): bounded retries, then the failure queue. */
  readonly asyncRetries?: number;
  /** A DynamoDB stream source with partial batch failures, bisect and bounded retries. */
  readonly streamSource?: StreamSourceArgs;
}

/**
 * One function with everything it owns: its log group (created first, 7-day retention, so AWS never
 * creates one that keeps logs forever), its role and inline policy, a failure queue, and its trigger
 * semantics (async invoke config or stream mapping).
 */
export class LambdaFunction extends pulumi.ComponentResource {
  public readonly function: aws.lambda.Function;
  public readonly role: aws.iam.Role;
  public readonly logGroup: aws.cloudwatch.LogGroup;
  /** Where failed asynchronous events or stream batches go; none for a synchronously invoked function. */
  public readonly failureQueue?: aws.sqs.Queue;
  public readonly functionName: string;

  constructor(name: string, args: LambdaFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('transaction-processor:compute:LambdaFunction', name, {}, opts);
    const { function: functionName, logGroup: logGroupName, role: roleName } = args.names;
    this.functionName = functionName;

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: logGroupName, retentionInDays: args.logRetentionDays ?? 7, tags: tagsFor(logGroupName) },
      { parent: this },
    );

    const needsFailureQueue = args.asyncRetries !== undefined || args.streamSource !== undefined;
    const queueName = args.names.failureQueue;
    if (needsFailureQueue && !queueName) {
      throw new Error(`${functionName} needs a failure queue, but naming.ts names none for it.`);
    }
    const failureQueue =
      queueName && needsFailureQueue
        ? new aws.sqs.Queue(
            `${name}-failures`,
            {
              name: queueName,
              sqsManagedSseEnabled: true,
              messageRetentionSeconds: 14 * 24 * 3600, // the SQS maximum: time to inspect and redrive
              tags: tagsFor(queueName),
            },
            { parent: this },
          )
        : undefined;
    this.failureQueue = failureQueue;

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: roleName,
        description: `Execution role of ${functionName}`,
        assumeRolePolicy: serviceTrustPolicy('lambda.amazonaws.com'),
        tags: tagsFor(roleName),
      },
      { parent: this },
    );

    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        name: args.names.policy,
        role: this.role.name,
        policy: policyDocument([
          ownLogGroupStatement(args.arnContext, logGroupName),
          XRAY_WRITE_STATEMENT,
          ...args.statements,
          ...(failureQueue
            ? [
                {
                  Sid: 'SendFailuresToOwnQueue',
                  Action: ['sqs:SendMessage'],
                  // From the name, not the queue's output: known at the first preview.
                  Resource: [arns.queue(args.arnContext, queueName!)],
                },
              ]
            : []),
        ]),
      },
      { parent: this },
    );

    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: functionName,
        description: args.description,
        runtime: 'nodejs24.x',
        handler: 'index.handler',
        code: functionArchive(args.functionDir),
        role: this.role.arn,
        memorySize: args.memorySize ?? 512,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency ?? DEFAULT_RESERVED_CONCURRENCY,
        ephemeralStorage: { size: args.ephemeralStorageMb ?? 512 },
        tracingConfig: { mode: 'Active' },
        loggingConfig: { logFormat: 'JSON', logGroup: logGroupName },
        environment: {
          variables: {
            ...args.environment,
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: args.names.metricsService,
            POWERTOOLS_METRICS_NAMESPACE: args.metricsNamespace,
          },
        },
        tags: tagsFor(functionName),
      },
      // The log group must exist first, or Lambda's first write creates one that never expires.
      { parent: this, dependsOn: [this.logGroup, rolePolicy] },
    );

    if (failureQueue && args.asyncRetries !== undefined) {
      new aws.lambda.FunctionEventInvokeConfig(
        `${name}-async`,
        {
          functionName: this.function.name,
          maximumRetryAttempts: args.asyncRetries,
          maximumEventAgeInSeconds: 3600,
          destinationConfig: { onFailure: { destination: failureQueue.arn } },
        },
        { parent: this },
      );
    }

    if (failureQueue && args.streamSource) {
      const s = args.streamSource;
      new aws.lambda.EventSourceMapping(
        `${name}-stream`,
        {
          functionName: this.function.arn,
          eventSourceArn: s.eventSourceArn,
          startingPosition: 'LATEST',
          batchSize: s.batchSize ?? 100,
          maximumBatchingWindowInSeconds: s.maximumBatchingWindowInSeconds ?? 5,
          bisectBatchOnFunctionError: true,
          maximumRetryAttempts: s.maximumRetryAttempts ?? 3,
          maximumRecordAgeInSeconds: s.maximumRecordAgeInSeconds ?? 3600,
          functionResponseTypes: ['ReportBatchItemFailures'],
          destinationConfig: { onFailure: { destinationArn: failureQueue.arn } },
          tags: tagsFor(`esm-${functionName}`),
        },
        { parent: this },
      );
    }

    this.registerOutputs({ functionName, functionArn: this.function.arn, roleArn: this.role.arn });
  }
}
