/**
 * Named selectors over the synthesized stack: "the validator function", "the transactions table".
 * Each picks by type and role (the physical name stack/naming.ts computes, or what the resource is
 * attached to), never by position, and must find exactly one resource: none or several fails the
 * test with what it saw, so a renamed or duplicated resource cannot make a case pass silently.
 */
import { readStackConfig } from '../../gate/synth/stack-config';
import { stackNames, type FunctionPurpose } from '../../stack/naming';
import type { FixtureResource } from './harness';
import { BASELINE_STACK } from './real-baseline';

export interface Selector {
  /** What it picks, as a test title reads. */
  readonly what: string;
  pick(stack: readonly FixtureResource[]): FixtureResource;
}

/** The physical names of the baseline stack, from the one naming module and the stack's suffix. */
export const NAMES = stackNames(environmentSuffix());

function environmentSuffix(): string {
  const suffix = readStackConfig(BASELINE_STACK)['transaction-processor:environmentSuffix'];
  if (!suffix)
    throw new Error(`Pulumi.${BASELINE_STACK}.yaml sets no transaction-processor:environmentSuffix`);
  return suffix;
}

function selector(
  what: string,
  type: string,
  matches: (r: FixtureResource, stack: readonly FixtureResource[]) => boolean,
): Selector {
  return {
    what,
    pick(stack) {
      const ofType = stack.filter((r) => r.type === type);
      const found = ofType.filter((r) => matches(r, stack));
      if (found.length !== 1) {
        const seen = ofType.map((r) => r.name).join(', ') || 'none';
        throw new Error(
          `${what}: expected one ${type}, found ${found.length} (resources of the type: ${seen})`,
        );
      }
      return found[0];
    },
  };
}

/** By its physical name, in `name` (or `bucket` for a bucket). */
function named(what: string, type: string, name: string, field = 'name'): Selector {
  return selector(what, type, (r) => r.props[field] === name);
}

/** The only resource of its type; a second one makes the role ambiguous and fails. */
function only(what: string, type: string): Selector {
  return selector(what, type, () => true);
}

/**
 * A resource whose `property` is `value`, or depends on `owner`'s resource: the engine records that
 * dependency, which is all there is to go by when the value is unknown at preview.
 */
function attachedTo(what: string, type: string, property: string, owner: Selector, value?: string): Selector {
  return selector(what, type, (r, stack) => {
    if (value !== undefined && r.props[property] === value) return true;
    return (r.propertyDependencies?.[property] ?? []).includes(owner.pick(stack).urn);
  });
}

const FUNCTION = 'aws:lambda/function:Function';
function fn(purpose: FunctionPurpose) {
  return NAMES.functions[purpose];
}

export const validatorFunction = named('the validator function', FUNCTION, fn('validator').function);
export const anomalyFunction = named('the anomaly function', FUNCTION, fn('anomaly').function);
export const apiFunction = named('the API function', FUNCTION, fn('api').function);

const LOG_GROUP = 'aws:cloudwatch/logGroup:LogGroup';
export const validatorLogGroup = named('the validator log group', LOG_GROUP, fn('validator').logGroup);
export const apiLogGroup = named('the API function log group', LOG_GROUP, fn('api').logGroup);

const ROLE = 'aws:iam/role:Role';
export const validatorRole = named('the validator role', ROLE, fn('validator').role);
export const apiRole = named('the API function role', ROLE, fn('api').role);
export const apiGatewayLogsRole = named('the API Gateway logging role', ROLE, NAMES.apiLogsRole);

const ROLE_POLICY = 'aws:iam/rolePolicy:RolePolicy';
export const validatorPolicy = named('the validator policy', ROLE_POLICY, fn('validator').policy);
export const anomalyPolicy = named('the anomaly policy', ROLE_POLICY, fn('anomaly').policy);
export const apiPolicy = named('the API function policy', ROLE_POLICY, fn('api').policy);

export const transactionsTable = named('the transactions table', 'aws:dynamodb/table:Table', NAMES.table);
export const alertsTopic = named('the alerts topic', 'aws:sns/topic:Topic', NAMES.topic);
export const alertsSubscription = attachedTo(
  'the alerts e-mail subscription',
  'aws:sns/topicSubscription:TopicSubscription',
  'topic',
  alertsTopic,
);
export const cardHashSecret = named('the card-hash secret', 'aws:secretsmanager/secret:Secret', NAMES.secret);
/** A key has no name of its own: its Name tag carries the one naming.ts computes. */
export const cardHashKey = selector(
  'the card-hash KMS key',
  'aws:kms/key:Key',
  (r) => (r.props.tags as Record<string, unknown> | undefined)?.Name === NAMES.cardHashKey,
);

/** The operations topic's key, by the Name tag its alias name gives it. */
export const operationsTopicKey = selector(
  "the operations topic's KMS key",
  'aws:kms/key:Key',
  (r) => (r.props.tags as Record<string, unknown> | undefined)?.Name === NAMES.opsTopicKey,
);

export const uploadsBucket = named('the uploads bucket', 'aws:s3/bucket:Bucket', NAMES.bucket, 'bucket');
function ofUploads(what: string, type: string): Selector {
  return attachedTo(what, type, 'bucket', uploadsBucket, NAMES.bucket);
}
export const uploadsVersioning = ofUploads(
  'the uploads versioning',
  'aws:s3/bucketVersioning:BucketVersioning',
);
export const uploadsLifecycle = ofUploads(
  'the uploads lifecycle',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
);
export const uploadsEncryption = ofUploads(
  'the uploads encryption',
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
);
export const uploadsPublicAccessBlock = ofUploads(
  'the uploads public access block',
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
);
export const uploadsBucketPolicy = ofUploads('the uploads bucket policy', 'aws:s3/bucketPolicy:BucketPolicy');
export const uploadsNotification = ofUploads(
  'the uploads notification',
  'aws:s3/bucketNotification:BucketNotification',
);

export const accessLogsBucket = named(
  'the access-log bucket',
  'aws:s3/bucket:Bucket',
  NAMES.accessLogBucket,
  'bucket',
);
export const accessLogsLifecycle = attachedTo(
  'the access-log lifecycle',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  'bucket',
  accessLogsBucket,
  NAMES.accessLogBucket,
);
export const uploadsAccessLogging = ofUploads(
  'the uploads access logging',
  'aws:s3/bucketLogging:BucketLogging',
);

const PERMISSION = 'aws:lambda/permission:Permission';
export const s3InvokesValidator = selector(
  'the S3 permission to invoke the validator',
  PERMISSION,
  (r) => r.props.function === fn('validator').function && r.props.principal === 's3.amazonaws.com',
);
export const apiGatewayInvokesApi = selector(
  'the API Gateway permission to invoke the API function',
  PERMISSION,
  (r) => r.props.function === fn('api').function && r.props.principal === 'apigateway.amazonaws.com',
);
export const validatorAsyncConfig = attachedTo(
  'the validator asynchronous invocation config',
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  'functionName',
  validatorFunction,
  fn('validator').function,
);
export const anomalyStreamMapping = attachedTo(
  'the anomaly stream mapping',
  'aws:lambda/eventSourceMapping:EventSourceMapping',
  'functionName',
  anomalyFunction,
);

export const postUploadMethod = selector(
  'the POST /upload method',
  'aws:apigateway/method:Method',
  (r) => r.props.httpMethod === 'POST',
);
export const apiStage = only('the API stage', 'aws:apigateway/stage:Stage');
export const apiMethodSettings = only(
  'the API method settings',
  'aws:apigateway/methodSettings:MethodSettings',
);
export const usagePlan = named(
  'the merchants usage plan',
  'aws:apigateway/usagePlan:UsagePlan',
  NAMES.usagePlan,
);

export const awsProvider = only('the AWS provider', 'pulumi:providers:aws');

const QUEUE = 'aws:sqs/queue:Queue';
export const validatorFailureQueue = named(
  'the validator failure queue',
  QUEUE,
  fn('validator').failureQueue ?? 'none',
);
export const anomalyFailureQueue = named(
  'the anomaly failure queue',
  QUEUE,
  fn('anomaly').failureQueue ?? 'none',
);

const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';
export const validatorErrorsAlarm = named('the validator errors alarm', ALARM, fn('validator').errorsAlarm);
export const apiErrorsAlarm = named('the API function errors alarm', ALARM, fn('api').errorsAlarm);
export const anomalyErrorsAlarm = named('the anomaly errors alarm', ALARM, fn('anomaly').errorsAlarm);
export const validatorFailuresAlarm = named(
  'the validator failure queue alarm',
  ALARM,
  fn('validator').failureQueueAlarm ?? 'none',
);
export const anomalyFailuresAlarm = named(
  'the anomaly failure queue alarm',
  ALARM,
  fn('anomaly').failureQueueAlarm ?? 'none',
);
