/** Mutations leaving a function or a failure destination without an alarm that acts. */
import type { Case } from './case';
import {
  NAMES,
  anomalyErrorsAlarm,
  anomalyFailureQueue,
  anomalyFailuresAlarm,
  anomalyFunction,
  apiErrorsAlarm,
  apiFunction,
  validatorErrorsAlarm,
  validatorFailureQueue,
  validatorFailuresAlarm,
  validatorFunction,
} from '../selectors';

const { validator, anomaly, api } = NAMES.functions;
const wants = (what: string, metric: string) =>
  `${what} should have a CloudWatch alarm with an action on ${metric}; found`;

export const OPERATIONS_CASES: Case[] = [
  {
    policy: 'operations-alarms',
    breaks: 'an alarm whose actions were removed (it would fire and tell nobody)',
    target: validatorErrorsAlarm,
    mutate: (p) => {
      delete p.alarmActions;
    },
    expected: `${wants(`function ${validator.function}`, 'Errors')} ${validator.errorsAlarm}, with no alarm action.`,
    at: [validatorFunction],
  },
  {
    policy: 'operations-alarms',
    breaks: 'a failure queue alarm with its actions disabled',
    target: anomalyFailuresAlarm,
    mutate: (p) => {
      p.actionsEnabled = false;
    },
    expected: `${wants(`failure queue ${anomaly.failureQueue}`, 'ApproximateNumberOfMessagesVisible')} ${anomaly.failureQueueAlarm}, with no alarm action.`,
    at: [anomalyFailureQueue],
  },
  {
    policy: 'operations-alarms',
    breaks: "a function's errors alarm removed",
    target: apiErrorsAlarm,
    mutate: () => false,
    expected: `${wants(`function ${api.function}`, 'Errors')} none.`,
    at: [apiFunction],
  },
  {
    policy: 'operations-alarms',
    breaks: "a failure queue's alarm removed",
    target: validatorFailuresAlarm,
    mutate: () => false,
    expected: `${wants(`failure queue ${validator.failureQueue}`, 'ApproximateNumberOfMessagesVisible')} none.`,
    at: [validatorFailureQueue],
  },
  {
    policy: 'operations-alarms',
    breaks: 'an errors alarm watching another function than its own',
    target: anomalyErrorsAlarm,
    mutate: (p) => {
      p.dimensions = { FunctionName: validator.function };
    },
    expected: `${wants(`function ${anomaly.function}`, 'Errors')} none.`,
    at: [anomalyFunction],
  },
  {
    policy: 'operations-alarms',
    breaks: 'a dead-letter queue added to a function without an alarm on it',
    target: validatorFunction,
    mutate: (p) => {
      p.deadLetterConfig = { targetArn: 'arn:aws:sqs:us-east-1:123456789012:sqs-validator-dlq-dev' };
    },
    expected: `${wants('failure queue sqs-validator-dlq-dev', 'ApproximateNumberOfMessagesVisible')} none.`,
  },
];
