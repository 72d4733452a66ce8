/**
 * Minimality by leaving one out: a grant is one (role, statement, action, resource) of the role's
 * policy; it is exercised when removing it alone turns at least one allowed request of that role
 * into a denied one. A grant nothing needs — unused, or duplicated by another statement — is excess.
 */
import type { Attempt } from './lambda-service';
import { decide } from './evaluate';
import type { PolicyDocument, PolicyStatement, StackModel } from './stack-model';

export interface Grant {
  readonly role: string;
  readonly sid: string;
  readonly action: string;
  readonly resource: string;
}

export function describeGrant(g: Grant): string {
  return `${g.role} ${g.sid}: ${g.action} on ${g.resource}`;
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

export function grantsOf(role: string, policy: PolicyDocument): Grant[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s, index) =>
    list(s.Action).flatMap((action) =>
      list(s.Resource).map((resource) => ({ role, sid: s.Sid ?? `#${index}`, action, resource })),
    ),
  );
}

/** The policy with exactly one grant taken out (the rest of its statement kept, conditions too). */
export function withoutGrant(policy: PolicyDocument, grant: Grant): PolicyDocument {
  const statements = policy.Statement.flatMap((s, index): PolicyStatement[] => {
    if ((s.Sid ?? `#${index}`) !== grant.sid || s.Effect !== 'Allow') return [s];
    const actions = list(s.Action);
    const resources = list(s.Resource);
    const otherActions = actions.filter((a) => a !== grant.action);
    const otherResources = resources.filter((r) => r !== grant.resource);
    return [
      ...(otherActions.length ? [{ ...s, Action: otherActions }] : []),
      ...(actions.includes(grant.action) && otherResources.length
        ? [{ ...s, Sid: `${s.Sid ?? index}Rest`, Action: [grant.action], Resource: otherResources }]
        : []),
    ];
  });
  return { ...policy, Statement: statements };
}

/** The grants of `roles` that no allowed attempt needs. */
export async function unusedGrants(
  model: StackModel,
  roles: string[],
  attempts: Attempt[],
): Promise<Grant[]> {
  const unused: Grant[] = [];
  for (const role of roles) {
    const policy = model.roles.get(role)!.policy;
    const mine = attempts.filter((a) => a.role === role);
    for (const grant of grantsOf(role, policy)) {
      const reduced = withoutGrant(policy, grant);
      let needed = false;
      for (const attempt of mine.filter((a) => a.request.action === grant.action)) {
        if ((await decide(model, attempt, attempt.request)) !== 'Allowed') continue;
        if ((await decide(model, attempt, attempt.request, reduced)) !== 'Allowed') {
          needed = true;
          break;
        }
      }
      if (!needed) unused.push(grant);
    }
  }
  return unused;
}
