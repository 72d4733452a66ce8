/**
 * Every policy of the pack, in report order: mandatory controls first, then advisory ones.
 * Kept apart from index.ts so tests and tools can read the policies without serving the pack.
 */
import type { PackPolicy } from './lib/define';
import { allowedRegion } from './rules/allowed-region';
import { apigatewayAccessLogging } from './rules/apigateway-access-logging';
import { apigatewayMethodApiKey } from './rules/apigateway-method-api-key';
import { apigatewayStageXray } from './rules/apigateway-stage-xray';
import { apigatewayThrottling } from './rules/apigateway-throttling';
import { dynamodbDeletionProtectionDisabled } from './rules/dynamodb-deletion-protection-disabled';
import { dynamodbEncryption } from './rules/dynamodb-encryption';
import { dynamodbOnDemand } from './rules/dynamodb-on-demand';
import { dynamodbPointInTimeRecovery } from './rules/dynamodb-point-in-time-recovery';
import { dynamodbStreamImages } from './rules/dynamodb-stream-new-and-old-images';
import { iamLeastPrivilege } from './rules/iam-least-privilege';
import { iamNoBroadManagedPolicies } from './rules/iam-no-broad-managed-policies';
import { iamTrustServicePrincipal } from './rules/iam-trust-service-principal';
import { kmsKeyDecryptScoped } from './rules/kms-key-decrypt-scoped';
import { kmsKeyRotation } from './rules/kms-key-rotation';
import { lambdaAsyncFailureDestination } from './rules/lambda-async-failure-destination';
import { lambdaMemorySize } from './rules/lambda-memory-size';
import { lambdaOwnLogGroup } from './rules/lambda-own-log-group';
import { lambdaPermissionSource } from './rules/lambda-permission-source';
import { lambdaReservedConcurrency } from './rules/lambda-reserved-concurrency';
import { lambdaSupportedRuntime } from './rules/lambda-supported-runtime';
import { lambdaXrayActive } from './rules/lambda-xray-active';
import { logGroupRetention } from './rules/log-group-retention';
import { operationsAlarms } from './rules/operations-alarms';
import { noProtectedResources } from './rules/no-protected-resources';
import { noPublicResourcePolicies } from './rules/no-public-resource-policies';
import { requiredTags } from './rules/required-tags';
import { resourceNaming } from './rules/resource-naming';
import { s3AccessLogging } from './rules/s3-access-logging';
import { s3BucketForceDestroy } from './rules/s3-bucket-force-destroy';
import { s3BucketProtectionsPresent } from './rules/s3-bucket-protections-present';
import { s3Encryption } from './rules/s3-encryption';
import { s3LifecycleExpiration } from './rules/s3-lifecycle-expiration';
import { s3NotificationFilter } from './rules/s3-notification-filter';
import { s3PublicAccessBlock } from './rules/s3-public-access-block';
import { s3TlsOnly } from './rules/s3-tls-only';
import { s3VersioningEnabled } from './rules/s3-versioning-enabled';
import { secretCustomerManagedKey } from './rules/secret-customer-managed-key';
import { secretImmediateDeletion } from './rules/secret-immediate-deletion';
import { snsEmailSubscription } from './rules/sns-email-subscription';
import { snsTopicEncrypted } from './rules/sns-topic-encrypted';
import { streamMappingFailureHandling } from './rules/stream-mapping-failure-handling';

export const PACK_NAME = 'transaction-processor-policies';

export const catalog: readonly PackPolicy[] = [
  // 1. Tags
  requiredTags,
  // 2. Log retention
  logGroupRetention,
  lambdaOwnLogGroup,
  // 3. X-Ray
  lambdaXrayActive,
  apigatewayStageXray,
  // 4. Reserved concurrency
  lambdaReservedConcurrency,
  // 5. Least privilege
  iamLeastPrivilege,
  iamNoBroadManagedPolicies,
  iamTrustServicePrincipal,
  lambdaPermissionSource,
  noPublicResourcePolicies,
  // 6. No retain
  noProtectedResources,
  s3BucketForceDestroy,
  dynamodbDeletionProtectionDisabled,
  secretImmediateDeletion,
  // 7. The specification's constraints
  lambdaMemorySize,
  lambdaSupportedRuntime,
  dynamodbOnDemand,
  dynamodbStreamImages,
  dynamodbPointInTimeRecovery,
  dynamodbEncryption,
  s3VersioningEnabled,
  s3LifecycleExpiration,
  s3PublicAccessBlock,
  s3Encryption,
  s3TlsOnly,
  s3BucketProtectionsPresent,
  s3NotificationFilter,
  // The card-hash key (PCI DSS 3.6, 3.7)
  secretCustomerManagedKey,
  kmsKeyRotation,
  kmsKeyDecryptScoped,
  // The access trail (PCI DSS 10.2, 10.5.1)
  s3AccessLogging,
  apigatewayMethodApiKey,
  snsTopicEncrypted,
  snsEmailSubscription,
  resourceNaming,
  allowedRegion,
  // 8. Operations: failures are seen (#13)
  operationsAlarms,
  // Advisory
  lambdaAsyncFailureDestination,
  streamMappingFailureHandling,
  apigatewayAccessLogging,
  apigatewayThrottling,
];
