/** The shapes of the local pipeline's definitions (see definitions.ts, which reads them from the stack). */
export type FunctionPurpose = 'validator' | 'anomaly' | 'api';
export const FUNCTION_PURPOSES: readonly FunctionPurpose[] = ['validator', 'anomaly', 'api'];

export interface FunctionDefinition {
  purpose: FunctionPurpose;
  name: string;
  arn: string;
  timeoutSeconds: number;
  memoryMb: number;
  logGroup: string;
  environment: Record<string, string>;
  /** `index.js` of the deployment package (handler `index.handler`) and its source map. */
  code: string;
  sourceMap?: string;
}

export interface NotificationDefinition {
  functionName: string;
  /** e.g. `s3:ObjectCreated:*` */
  events: string[];
  prefix: string;
  suffix: string;
}

export interface StreamMappingDefinition {
  functionName: string;
  batchSize: number;
  batchingWindowSeconds: number;
  bisectOnError: boolean;
  maximumRetryAttempts: number;
  maximumRecordAgeSeconds: number;
  reportBatchItemFailures: boolean;
  startingPosition: string;
}

export interface RouteDefinition {
  method: string;
  /** API Gateway resource path, e.g. `/status/{transaction_id}`. */
  resourcePath: string;
  apiKeyRequired: boolean;
}

export interface LocalDefinitions {
  region: string;
  accountId: string;
  table: {
    name: string;
    partitionKey: string;
    sortKey: string;
    attributes: { name: string; type: string }[];
    streamViewType: string;
  };
  /** The anomaly detector's state: one string key, items expiring on a TTL attribute. */
  stateTable: { name: string; partitionKey: string; ttlAttribute: string };
  bucket: { name: string; expirationDays?: number; notifications: NotificationDefinition[] };
  functions: Record<FunctionPurpose, FunctionDefinition>;
  /** Asynchronous invocation config of the validator (S3 events). */
  validatorAsync: { maximumRetryAttempts: number; maximumEventAgeSeconds: number };
  streamMapping: StreamMappingDefinition;
  api: {
    stageName: string;
    routes: RouteDefinition[];
    /** Merchant of each API key id (the API function's own map). */
    keys: { keyId: string; merchantId: string }[];
    /** The usage plan's throttle, per API key. */
    throttle: { rateLimit: number; burstLimit: number };
    /** The stage's method throttle, across all callers. */
    stageThrottle: { rateLimit: number; burstLimit: number };
    dailyQuota?: number;
  };
  topic: { name: string; arn: string };
  secret: { name: string };
}
