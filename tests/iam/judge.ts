/**
 * Recorded calls -> IAM requests of their roles, and the verdict on each; shared by the proof
 * (least-privilege.test.ts) and the suites that also record their calls (tests/e2e).
 */
import type { RecordedCall } from '../../lambda/shared/call-recorder';
import { CallMappingError, describeCall, iamRequestsOf } from './action-map';
import { decide, describeAttempt } from './evaluate';
import type { Attempt } from './lambda-service';
import { roleOf, type StackModel } from './stack-model';

/** One attempt per distinct (role, action, resource, context), keeping the first origin. */
export function uniqueAttempts(attempts: Attempt[]): Attempt[] {
  const seen = new Set<string>();
  return attempts.filter((a) => {
    const key = JSON.stringify([a.role, a.request.action, a.request.resource, a.request.context]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The IAM requests of recorded calls, each under the role of the function that made it. */
export function attemptsOf(
  model: StackModel,
  calls: RecordedCall[],
): { attempts: Attempt[]; unmapped: string[] } {
  const attempts: Attempt[] = [];
  const unmapped: string[] = [];
  for (const call of calls) {
    try {
      const role = roleOf(model, call.principal).name;
      for (const request of iamRequestsOf(call, model))
        attempts.push({ role, functionName: call.principal, origin: describeCall(call), request });
    } catch (error) {
      if (!(error instanceof CallMappingError)) throw error;
      unmapped.push(error.message);
    }
  }
  return { attempts: uniqueAttempts(attempts), unmapped: [...new Set(unmapped)] };
}

/** Every attempt the evaluator does not allow, with its decision and origin. */
export async function refusedAttempts(model: StackModel, attempts: Attempt[]): Promise<string[]> {
  const refused: string[] = [];
  for (const attempt of attempts) {
    const decision = await decide(model, attempt, attempt.request);
    if (decision !== 'Allowed') refused.push(`${decision}: ${describeAttempt(attempt)}`);
  }
  return refused;
}
