import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULTS, ENV } from '../lambda/shared/contract';
import { AccessLogBucket } from './components/access-log-bucket';
import { AlertsTopic } from './components/alerts-topic';
import { CardHashKey } from './components/card-hash-key';
import { CardHashSecret } from './components/card-hash-secret';
import { DetectorStateTable } from './components/detector-state-table';
import { LambdaFunction } from './components/lambda-function';
import { MerchantApi } from './components/merchant-api';
import { MerchantKeys } from './components/merchant-keys';
import { TransactionsTable } from './components/transactions-table';
import { UploadBucket } from './components/upload-bucket';
import { NEW_TABLE_READS, StackConfig, stateTableWarmThroughput } from './config';
import { refuseRetainedResources } from './guards';
import { ArnContext } from './iam';
import { stackNames } from './naming';
import { createOperations } from './operations';
import { anomalyStatements, apiStatements, topicArn, validatorStatements } from './permissions';
import { REQUIRED_TAGS } from './tags';

export interface StackOutputs {
  readonly apiUrl: pulumi.Output<string>;
  readonly bucketName: string;
  readonly tableName: string;
  readonly topicArn: pulumi.Output<string>;
  readonly apiKeyIds: pulumi.Output<Record<string, string>>;
  readonly apiKeys: pulumi.Output<Record<string, string>>;
}

/** Thresholds for the anomaly rules (README, "Anomaly rules"), as environment variables. */
function anomalyThresholds(): Record<string, string> {
  return {
    [ENV.amountThreshold]: String(DEFAULTS.amountThreshold),
    [ENV.roundAmountThreshold]: String(DEFAULTS.roundAmountThreshold),
    [ENV.highRiskCountries]: DEFAULTS.highRiskCountries.join(','),
    [ENV.velocityMaxCount]: String(DEFAULTS.velocityMaxCount),
    [ENV.velocityWindowSeconds]: String(DEFAULTS.velocityWindowSeconds),
    [ENV.cardTestingSmallAmount]: String(DEFAULTS.cardTestingSmallAmount),
    [ENV.cardTestingMaxSmallPerCard]: String(DEFAULTS.cardTestingMaxSmallPerCard),
    [ENV.cardTestingMaxCardsPerMerchant]: String(DEFAULTS.cardTestingMaxCardsPerMerchant),
    [ENV.cardTestingWindowSeconds]: String(DEFAULTS.cardTestingWindowSeconds),
    [ENV.duplicateWindowSeconds]: String(DEFAULTS.duplicateWindowSeconds),
    [ENV.profileMultiplier]: String(DEFAULTS.profileMultiplier),
    [ENV.profileMinTransactions]: String(DEFAULTS.profileMinTransactions),
    [ENV.profileDays]: String(DEFAULTS.profileDays),
    [ENV.stateRetentionDays]: String(DEFAULTS.stateRetentionDays),
  };
}

/** The whole pipeline; `stack/index.ts` runs it with the stack's validated config. */
export function createStack(config: StackConfig): StackOutputs {
  refuseRetainedResources();

  // An explicit provider pins the region; credentials come from the environment (or `aws:profile`).
  const provider = new aws.Provider('aws-us-east-1', {
    region: config.region,
    profile: config.awsProfile,
    defaultTags: { tags: REQUIRED_TAGS },
  });
  const opts = { provider };
  // An invoke, so the account id is known at preview and so is every ARN built from it.
  const identity = aws.getCallerIdentityOutput({}, { provider });
  const accountId = identity.accountId;
  const ctx: ArnContext = { region: config.region, accountId };
  // Every physical name, once; components take names and know no naming rule.
  const names = stackNames(config.environmentSuffix);

  const table = new TransactionsTable(
    'transactions',
    {
      tableName: names.table,
      warmThroughput: {
        writeUnitsPerSecond: config.tableWarmWritesPerSecond,
        readUnitsPerSecond: NEW_TABLE_READS,
      },
    },
    opts,
  );
  new DetectorStateTable(
    'detector-state',
    {
      tableName: names.stateTable,
      warmThroughput: stateTableWarmThroughput(config.tableWarmWritesPerSecond),
    },
    opts,
  );
  new AlertsTopic('alerts', { topicName: names.topic, alertEmail: config.alertEmail }, opts);
  const keys = new MerchantKeys(
    'merchant-keys',
    { merchants: config.merchants, keyName: names.apiKey },
    opts,
  );

  const common = { arnContext: ctx, metricsNamespace: names.metricsNamespace };
  const validator = new LambdaFunction(
    'validator',
    {
      ...common,
      functionDir: 'validator',
      names: names.functions.validator,
      description: 'Validates uploaded CSV files and stores their transactions',
      // Within the 5-minute SLA: see DEFAULTS.validatorTimeoutSeconds.
      timeoutSeconds: DEFAULTS.validatorTimeoutSeconds,
      asyncRetries: 2,
      statements: validatorStatements(ctx, names),
      environment: {
        [ENV.tableName]: names.table,
        [ENV.bucketName]: names.bucket,
        [ENV.cardHashSecretId]: names.secret,
        [ENV.maxFileBytes]: String(DEFAULTS.maxFileBytes),
        [ENV.maxLineBytes]: String(DEFAULTS.maxLineBytes),
        [ENV.maxRows]: String(DEFAULTS.maxRows),
        [ENV.maxAmount]: String(DEFAULTS.maxAmount),
        [ENV.writeConcurrency]: String(DEFAULTS.writeConcurrency),
      },
    },
    opts,
  );
  const cardHashKey = new CardHashKey(
    'card-hash-kms',
    {
      keyName: names.cardHashKey,
      arnContext: ctx,
      readerRoleName: names.functions.validator.role,
      readerRole: validator.role,
      deployerArn: identity.arn,
      secretName: names.secret,
    },
    opts,
  );
  new CardHashSecret('card-hash-key', { secretName: names.secret, kmsKeyId: cardHashKey.key.arn }, opts);
  new LambdaFunction(
    'anomaly',
    {
      ...common,
      functionDir: 'anomaly',
      names: names.functions.anomaly,
      description: 'Detects anomalies and tampering in the transactions stream and alerts',
      // once.ts treats an alert claim older than this (plus a margin) as abandoned.
      timeoutSeconds: DEFAULTS.anomalyTimeoutSeconds,
      statements: anomalyStatements(ctx, names),
      streamSource: { eventSourceArn: table.table.streamArn },
      environment: {
        [ENV.topicArn]: topicArn(ctx, names.topic),
        [ENV.stateTableName]: names.stateTable,
        ...anomalyThresholds(),
      },
    },
    opts,
  );
  const api = new LambdaFunction(
    'api',
    {
      ...common,
      functionDir: 'api',
      names: names.functions.api,
      description: 'Merchant API: presigned uploads and status',
      timeoutSeconds: 10, // well under API Gateway's 29 s integration timeout
      statements: apiStatements(ctx, names),
      environment: {
        [ENV.tableName]: names.table,
        [ENV.bucketName]: names.bucket,
        [ENV.apiKeyMerchants]: keys.merchantByKeyId,
        [ENV.uploadUrlTtlSeconds]: String(DEFAULTS.uploadUrlTtlSeconds),
        // The same limit as the validator's, enforced by S3 through the presigned POST's policy.
        [ENV.maxFileBytes]: String(DEFAULTS.maxFileBytes),
      },
    },
    opts,
  );

  const uploads = new UploadBucket(
    'uploads',
    { bucketName: names.bucket, accountId, validator: validator.function },
    opts,
  );
  new AccessLogBucket(
    'access-logs',
    {
      bucketName: names.accessLogBucket,
      accountId,
      source: { bucketName: names.bucket, bucket: uploads.bucket },
    },
    opts,
  );
  const merchantApi = new MerchantApi(
    'merchant-api',
    {
      ...common,
      names: {
        api: names.api,
        usagePlan: names.usagePlan,
        accessLogGroup: names.apiAccessLogGroup,
        logsRole: names.apiLogsRole,
        logsPolicy: names.apiLogsPolicy,
      },
      handler: api.function,
      keys: keys.keys,
    },
    opts,
  );

  createOperations(
    { names, arnContext: ctx, opsEmail: config.opsEmail, apiStage: merchantApi.stageName },
    opts,
  );

  const byMerchant = (pick: (k: (typeof keys.keys)[number]) => pulumi.Output<string>) =>
    pulumi
      .all(keys.keys.map(pick))
      .apply((values) => Object.fromEntries(values.map((v, i) => [keys.keys[i].merchantId, v])));
  return {
    apiUrl: merchantApi.url,
    bucketName: names.bucket,
    tableName: names.table,
    topicArn: topicArn(ctx, names.topic),
    apiKeyIds: byMerchant((k) => k.apiKey.id),
    apiKeys: pulumi.secret(byMerchant((k) => k.apiKey.value)),
  };
}
