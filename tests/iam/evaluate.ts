/**
 * A real IAM policy evaluator (@cloud-copilot/iam-simulate, AGPL-3.0: a test-only dev dependency,
 * never bundled into a function or the policy pack) deciding one request of one role: the role's
 * inline policy, plus the resource policy that applies (bucket policy, key policy), as AWS does
 * for a same-account request. Requests are made over TLS, as the SDK always does on AWS.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { IamRequest } from './action-map';
import type { Attempt } from './lambda-service';
import type { PolicyDocument, StackModel } from './stack-model';

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied' | `Invalid: ${string}`;

export async function decide(
  model: StackModel,
  attempt: Pick<Attempt, 'role' | 'functionName'>,
  request: IamRequest,
  policy: PolicyDocument = model.roles.get(attempt.role)!.policy,
): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        // Lambda assumes the role with the function's name as the session name.
        principal: `arn:aws:sts::${model.accountId}:assumed-role/${attempt.role}/${attempt.functionName}`,
        action: request.action,
        resource: { resource: request.resource, accountId: model.accountId },
        contextVariables: { 'aws:SecureTransport': 'true', ...request.context },
      },
      identityPolicies: [{ name: attempt.role, policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (result.resultType === 'error') return `Invalid: ${JSON.stringify(result.errors)}`;
  return result.overallResult as Decision;
}

export function describeAttempt(a: Attempt): string {
  const context = Object.keys(a.request.context).length ? ` ${JSON.stringify(a.request.context)}` : '';
  return `${a.role}: ${a.request.action} on ${a.request.resource}${context} (${a.origin})`;
}
