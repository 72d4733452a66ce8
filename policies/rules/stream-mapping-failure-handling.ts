import { resourcePolicy } from '../lib/define';
import { knownOrUndefined, peek } from '../lib/unknown';
import { asArray, describe } from '../lib/values';

interface Config {
  maxRetryAttempts: number;
  maxRecordAgeSeconds: number;
}

interface Mapping {
  eventSourceArn?: string;
  startingPosition?: string;
  bisectBatchOnFunctionError?: boolean;
  maximumRetryAttempts?: number;
  maximumRecordAgeInSeconds?: number;
  functionResponseTypes?: string[];
  destinationConfig?: { onFailure?: { destinationArn?: string } };
}

/** Streams are ordered: one poison record blocks its shard until it expires, unless bounded. */
function isStreamSource(props: Mapping): boolean {
  const arn = knownOrUndefined<string>(props, 'eventSourceArn');
  if (arn !== undefined) return /:(dynamodb|kinesis):/.test(arn);
  return peek(props, 'startingPosition').state !== 'absent'; // only stream sources take a position
}

export const streamMappingFailureHandling = resourcePolicy<Mapping, Config>(
  {
    id: 'stream-mapping-failure-handling',
    displayName: 'Stream event source mappings isolate and keep failing records',
    description:
      'Every DynamoDB or Kinesis stream mapping should bisect failing batches, report partial batch failures, bound retries (default 3) and record age (default 3600 seconds), and send what still fails to an on-failure destination. Otherwise one bad record blocks its shard and anomaly alerts stop.',
    enforcementLevel: 'advisory',
    severity: 'medium',
    controls: { pciDss: ['10.7.2', '12.10.1'] },
    remediationSteps:
      "On the aws.lambda.EventSourceMapping set `bisectBatchOnFunctionError: true`, `functionResponseTypes: ['ReportBatchItemFailures']`, `maximumRetryAttempts: 3`, `maximumRecordAgeInSeconds: 3600` and `destinationConfig.onFailure.destinationArn` to an SQS queue ARN.",
    url: 'https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html',
    config: {
      maxRetryAttempts: { type: 'integer', minimum: 0, maximum: 10000, default: 3 },
      maxRecordAgeSeconds: { type: 'integer', minimum: 60, maximum: 604800, default: 3600 },
    },
  },
  ['aws:lambda/eventSourceMapping:EventSourceMapping'],
  ({ props, config, report, notApplicable }) => {
    if (!isStreamSource(props)) notApplicable('Not a stream event source');
    if (props.bisectBatchOnFunctionError !== true) {
      report(
        `bisectBatchOnFunctionError should be true; found ${describe(props.bisectBatchOnFunctionError)}.`,
      );
    }
    if (!asArray(props.functionResponseTypes).includes('ReportBatchItemFailures')) {
      report(
        `functionResponseTypes should include ReportBatchItemFailures; found ${describe(props.functionResponseTypes)}.`,
      );
    }
    const retries = props.maximumRetryAttempts;
    if (typeof retries !== 'number' || retries < 0 || retries > config.maxRetryAttempts) {
      report(
        `maximumRetryAttempts should be between 0 and ${config.maxRetryAttempts}; found ${describe(retries)}.`,
      );
    }
    const age = props.maximumRecordAgeInSeconds;
    if (typeof age !== 'number' || age < 0 || age > config.maxRecordAgeSeconds) {
      report(
        `maximumRecordAgeInSeconds should be at most ${config.maxRecordAgeSeconds}; found ${describe(age)}.`,
      );
    }
    const onFailure = props.destinationConfig?.onFailure;
    if (!onFailure || peek(onFailure, 'destinationArn').state === 'absent') {
      report('destinationConfig.onFailure.destinationArn should name a queue; found it not set.');
    }
  },
);
