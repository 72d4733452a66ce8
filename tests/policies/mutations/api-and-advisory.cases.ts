/** Mutations breaking API, alerts, naming, region and the advisory controls. */
import type { Case } from './case';
import {
  alertsSubscription,
  alertsTopic,
  anomalyStreamMapping,
  apiFunction,
  apiLogGroup,
  apiMethodSettings,
  apiStage,
  awsProvider,
  postUploadMethod,
  transactionsTable,
  uploadsBucket,
  usagePlan,
  validatorAsyncConfig,
} from '../selectors';

export const API_AND_ADVISORY_CASES: Case[] = [
  {
    policy: 'apigateway-method-api-key',
    breaks: 'a method without an API key',
    target: postUploadMethod,
    mutate: (p) => {
      p.apiKeyRequired = false;
    },
    expected: 'apiKeyRequired should be true on POST method; found false.',
  },
  {
    policy: 'sns-topic-encrypted',
    breaks: 'an unencrypted topic',
    target: alertsTopic,
    mutate: (p) => {
      delete p.kmsMasterKeyId;
    },
    expected: 'kmsMasterKeyId should name a KMS key (e.g. alias/aws/sns); found it not set.',
  },
  {
    policy: 'sns-email-subscription',
    breaks: 'an SMS-only subscription',
    target: alertsSubscription,
    mutate: (p) => {
      p.protocol = 'sms';
    },
    expected: /^topic \S+ should have an e-mail subscription; found none\.$/,
    at: [alertsTopic],
  },
  {
    policy: 'resource-naming',
    breaks: 'an auto-named table',
    target: transactionsTable,
    mutate: (p) => {
      delete p.name;
    },
    expected: 'name should match dynamodb-{purpose}-{environmentSuffix}; found not set.',
  },
  {
    policy: 'resource-naming',
    breaks: 'a wrong prefix',
    target: uploadsBucket,
    mutate: (p) => {
      p.bucket = 'uploads-dev';
    },
    expected: 'bucket should match s3-{purpose}-{environmentSuffix}; found "uploads-dev".',
  },
  {
    policy: 'resource-naming',
    breaks: 'upper case',
    target: apiFunction,
    mutate: (p) => {
      p.name = 'lambda-API-dev';
    },
    expected: 'found "lambda-API-dev".',
  },
  {
    policy: 'resource-naming',
    breaks: 'a log group not named after its function',
    target: apiLogGroup,
    mutate: (p) => {
      p.name = 'api-logs';
    },
    expected:
      'the log group name should be /aws/lambda/<function name> or /aws/apigateway/<api name>; found "api-logs".',
  },
  {
    policy: 'allowed-region',
    breaks: 'a provider in another region',
    target: transactionsTable,
    mutate: (_p, r) => {
      r.provider = { ...r.provider!, props: { ...r.provider!.props, region: 'eu-west-1' } };
    },
    expected: 'the provider region should be "us-east-1"; found "eu-west-1".',
  },
  {
    policy: 'allowed-region',
    breaks: 'a per-resource region override',
    target: alertsTopic,
    mutate: (p) => {
      p.region = 'us-west-2';
    },
    expected: 'the resource region should be "us-east-1"; found "us-west-2".',
  },
  {
    policy: 'allowed-region',
    breaks: 'the provider resource itself',
    target: awsProvider,
    mutate: (p) => {
      p.region = 'ap-south-1';
    },
    expected: 'the provider region should be "us-east-1"; found "ap-south-1".',
  },
  {
    policy: 'lambda-async-failure-destination',
    breaks: 'no failure destination',
    target: validatorAsyncConfig,
    mutate: (p) => {
      delete p.destinationConfig;
    },
    expected: 'destinationConfig.onFailure.destination should name a queue; found it not set.',
  },
  {
    policy: 'lambda-async-failure-destination',
    breaks: 'unbounded retries',
    target: validatorAsyncConfig,
    mutate: (p) => {
      delete p.maximumRetryAttempts;
    },
    expected: 'maximumRetryAttempts should be at most 2; found not set.',
  },
  {
    policy: 'stream-mapping-failure-handling',
    breaks: 'no bisect',
    target: anomalyStreamMapping,
    mutate: (p) => {
      p.bisectBatchOnFunctionError = false;
    },
    expected: 'bisectBatchOnFunctionError should be true; found false.',
  },
  {
    policy: 'stream-mapping-failure-handling',
    breaks: 'infinite retries',
    target: anomalyStreamMapping,
    mutate: (p) => {
      p.maximumRetryAttempts = -1;
    },
    expected: 'maximumRetryAttempts should be between 0 and 3; found -1.',
  },
  {
    policy: 'stream-mapping-failure-handling',
    breaks: 'unbounded record age',
    target: anomalyStreamMapping,
    mutate: (p) => {
      p.maximumRecordAgeInSeconds = -1;
    },
    expected: 'maximumRecordAgeInSeconds should be at most 3600; found -1.',
  },
  {
    policy: 'stream-mapping-failure-handling',
    breaks: 'no partial batch failures',
    target: anomalyStreamMapping,
    mutate: (p) => {
      p.functionResponseTypes = [];
    },
    expected: 'functionResponseTypes should include ReportBatchItemFailures; found [].',
  },
  {
    policy: 'stream-mapping-failure-handling',
    breaks: 'no failure destination',
    target: anomalyStreamMapping,
    mutate: (p) => {
      delete p.destinationConfig;
    },
    expected: 'destinationConfig.onFailure.destinationArn should name a queue; found it not set.',
  },
  {
    policy: 'apigateway-access-logging',
    breaks: 'no access logs',
    target: apiStage,
    mutate: (p) => {
      delete p.accessLogSettings;
    },
    expected: 'accessLogSettings should set a destinationArn and a format; found them missing.',
  },
  {
    policy: 'apigateway-throttling',
    breaks: 'a usage plan without quota',
    target: usagePlan,
    mutate: (p) => {
      delete p.quotaSettings;
    },
    expected: 'quotaSettings should set a limit and a period; found them missing.',
  },
  {
    policy: 'apigateway-throttling',
    breaks: 'method settings without throttling',
    target: apiMethodSettings,
    mutate: (p) => {
      p.settings = { metricsEnabled: true };
    },
    expected: 'settings.throttlingRateLimit and throttlingBurstLimit should be positive; found them missing.',
  },
];
