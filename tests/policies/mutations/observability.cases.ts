/** Mutations breaking tags, log retention, tracing and concurrency. */
import type { Case } from './case';

export const OBSERVABILITY_CASES: Case[] = [
  {
    policy: 'required-tags',
    breaks: 'a wrong Environment value',
    resource: 'dynamodb-transactions',
    mutate: (p, r) => {
      p.tags = { Environment: 'dev' };
      r.provider = undefined;
    },
    expected: 'tag Environment should be "production"; found "dev".',
  },
  {
    policy: 'required-tags',
    breaks: 'a missing Project tag (no resource or default tag)',
    resource: 'sns-alerts',
    mutate: (p, r) => {
      delete p.tags;
      r.provider = { ...r.provider!, props: { region: 'us-east-1' } };
    },
    expected: 'tag Project should be "transaction-processor"; found not set.',
  },
  {
    policy: 'log-group-retention',
    breaks: 'retention of 14 days',
    resource: 'log-validator',
    mutate: (p) => {
      p.retentionInDays = 14;
    },
    expected: 'retentionInDays should be 7; found 14.',
  },
  {
    policy: 'log-group-retention',
    breaks: 'no retention (kept forever)',
    resource: 'log-api',
    mutate: (p) => {
      delete p.retentionInDays;
    },
    expected: 'retentionInDays should be 7; found not set.',
  },
  {
    policy: 'lambda-own-log-group',
    breaks: 'a function without a declared log group',
    resource: 'lambda-anomaly',
    mutate: (p, r) => {
      p.loggingConfig = { logFormat: 'JSON', logGroup: '/aws/lambda/undeclared' };
      r.propertyDependencies = {};
    },
    expected: 'found none named "/aws/lambda/undeclared"',
  },
  {
    policy: 'lambda-own-log-group',
    breaks: 'two functions sharing a log group',
    resource: 'lambda-api',
    mutate: (p) => {
      p.loggingConfig = { logGroup: '/aws/lambda/lambda-validator-dev' };
    },
    expected: /each function should have its own log group; log-validator is also used by lambda-validator/,
  },
  {
    policy: 'lambda-xray-active',
    breaks: 'PassThrough tracing',
    resource: 'lambda-validator',
    mutate: (p) => {
      p.tracingConfig = { mode: 'PassThrough' };
    },
    expected: 'tracingConfig.mode should be "Active"; found "PassThrough".',
  },
  {
    policy: 'apigateway-stage-xray',
    breaks: 'a stage without X-Ray',
    resource: 'apigw-merchant-v1',
    mutate: (p) => {
      delete p.xrayTracingEnabled;
    },
    expected: 'xrayTracingEnabled should be true; found not set.',
  },
  {
    policy: 'lambda-reserved-concurrency',
    breaks: 'no reservation',
    resource: 'lambda-api',
    mutate: (p) => {
      delete p.reservedConcurrentExecutions;
    },
    expected: 'reservedConcurrentExecutions should be 10; found not set.',
  },
];
