// Entry point of the Pulumi program (Pulumi.yaml `main`): validated config in, stack outputs out.
import { loadStackConfig } from './config';
import { createStack } from './program';

const outputs = createStack(loadStackConfig());

export const apiUrl = outputs.apiUrl;
export const bucketName = outputs.bucketName;
export const tableName = outputs.tableName;
export const topicArn = outputs.topicArn;
export const apiKeyIds = outputs.apiKeyIds;
/** Secret: `pulumi stack output apiKeys --show-secrets` prints each merchant's key. */
export const apiKeys = outputs.apiKeys;
