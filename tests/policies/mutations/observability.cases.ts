/** Mutations breaking tags, log retention, tracing and concurrency. */
import type { Case } from './case';
import {
  NAMES,
  alertsTopic,
  anomalyFunction,
  apiFunction,
  apiLogGroup,
  apiStage,
  transactionsTable,
  validatorFunction,
  validatorLogGroup,
} from '../selectors';

export const OBSERVABILITY_CASES: Case[] = [
  {
    policy: 'required-tags',
    breaks: 'a wrong Environment value',
    target: transactionsTable,
    mutate: (p, r) => {
      p.tags = { Environment: 'dev' };
      r.provider = undefined;
    },
    expected: 'tag Environment should be "production"; found "dev".',
  },
  {
    policy: 'required-tags',
    breaks: 'a missing Project tag (no resource or default tag)',
    target: alertsTopic,
    mutate: (p, r) => {
      delete p.tags;
      r.provider = { ...r.provider!, props: { region: 'us-east-1' } };
    },
    expected: 'tag Project should be "transaction-processor"; found not set.',
  },
  {
    policy: 'log-group-retention',
    breaks: 'retention of 14 days',
    target: validatorLogGroup,
    mutate: (p) => {
      p.retentionInDays = 14;
    },
    expected: 'retentionInDays should be 7; found 14.',
  },
  {
    policy: 'log-group-retention',
    breaks: 'no retention (kept forever)',
    target: apiLogGroup,
    mutate: (p) => {
      delete p.retentionInDays;
    },
    expected: 'retentionInDays should be 7; found not set.',
  },
  {
    policy: 'lambda-own-log-group',
    breaks: 'a function without a declared log group',
    target: anomalyFunction,
    mutate: (p, r) => {
      p.loggingConfig = { logFormat: 'JSON', logGroup: '/aws/lambda/undeclared' };
      r.propertyDependencies = {};
    },
    expected: 'found none named "/aws/lambda/undeclared"',
  },
  {
    policy: 'lambda-own-log-group',
    breaks: 'two functions sharing a log group',
    target: apiFunction,
    mutate: (p) => {
      p.loggingConfig = { logGroup: NAMES.functions.validator.logGroup };
    },
    expected: /^each function should have its own log group; \S+ is also used by \S+\.$/,
    // The policy reports whichever of the two functions it meets second.
    at: [apiFunction, validatorFunction],
  },
  {
    policy: 'lambda-xray-active',
    breaks: 'PassThrough tracing',
    target: validatorFunction,
    mutate: (p) => {
      p.tracingConfig = { mode: 'PassThrough' };
    },
    expected: 'tracingConfig.mode should be "Active"; found "PassThrough".',
  },
  {
    policy: 'apigateway-stage-xray',
    breaks: 'a stage without X-Ray',
    target: apiStage,
    mutate: (p) => {
      delete p.xrayTracingEnabled;
    },
    expected: 'xrayTracingEnabled should be true; found not set.',
  },
  {
    policy: 'lambda-reserved-concurrency',
    breaks: 'no reservation',
    target: apiFunction,
    mutate: (p) => {
      delete p.reservedConcurrentExecutions;
    },
    expected: 'reservedConcurrentExecutions should be 10; found not set.',
  },
];
