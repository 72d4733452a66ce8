/**
 * IAM policy documents as plain data: parse a document (JSON string or object, as Pulumi accepts
 * both) into normalised statements so the IAM policies reason about lists, never about shapes.
 * Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */

export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  /** Principal entries as `type:value`, e.g. `Service:lambda.amazonaws.com`, `*:*` for `"*"`. */
  readonly principals: string[];
  readonly hasNotPrincipal: boolean;
  readonly conditionKeys: string[];
  /** The Condition block as written: operator -> key -> value(s). */
  readonly condition: Record<string, Record<string, unknown>>;
}

export type ParsedDocument = { ok: true; statements: Statement[] } | { ok: false; error: string };

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => String(v));
}

function principals(value: unknown): string[] {
  if (value === undefined) return [];
  if (value === '*') return ['*:*'];
  if (typeof value !== 'object' || value === null) return [`?:${String(value)}`];
  return Object.entries(value as Record<string, unknown>).flatMap(([type, v]) =>
    list(v).map((p) => `${type}:${p}`),
  );
}

function conditionKeys(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value as Record<string, unknown>).flatMap((byKey) =>
    typeof byKey === 'object' && byKey !== null ? Object.keys(byKey).map((k) => k.toLowerCase()) : [],
  );
}

export function parsePolicyDocument(value: unknown): ParsedDocument {
  let doc: unknown = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch (e) {
      return { ok: false, error: `the policy document is not valid JSON (${(e as Error).message})` };
    }
  }
  if (typeof doc !== 'object' || doc === null)
    return { ok: false, error: 'the policy document is not an object' };
  const raw = (doc as { Statement?: unknown }).Statement;
  if (raw === undefined) return { ok: false, error: 'the policy document has no Statement' };
  const statements = (Array.isArray(raw) ? raw : [raw]).map((s): Statement => {
    const st = (s ?? {}) as Record<string, unknown>;
    return {
      sid: typeof st.Sid === 'string' ? st.Sid : undefined,
      effect: String(st.Effect),
      actions: list(st.Action),
      notActions: list(st.NotAction),
      resources: list(st.Resource),
      notResources: list(st.NotResource),
      principals: principals(st.Principal),
      hasNotPrincipal: st.NotPrincipal !== undefined,
      conditionKeys: conditionKeys(st.Condition),
      condition: (typeof st.Condition === 'object' && st.Condition !== null ? st.Condition : {}) as Record<
        string,
        Record<string, unknown>
      >,
    };
  });
  return { ok: true, statements };
}

/** How a statement is named in messages: its Sid, or its position. */
export function statementLabel(statement: Statement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement #${index + 1}`;
}

/** `*`, or an ARN whose whole resource part is `*` (e.g. `arn:aws:s3:::*`). */
export function isWildcardResource(resource: string): boolean {
  return resource === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource);
}

/** Condition keys that pin a public principal to one caller (confused-deputy protection). */
export const RESTRICTING_CONDITION_KEYS = [
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:sourcevpce',
  'aws:sourcevpc',
];

/** An Allow statement any AWS principal can use: `*` principal without a restricting condition. */
export function isPublicAllow(statement: Statement): boolean {
  if (statement.effect !== 'Allow') return false;
  const publicPrincipal = statement.principals.some((p) => p === '*:*' || p === 'AWS:*');
  return publicPrincipal && !statement.conditionKeys.some((k) => RESTRICTING_CONDITION_KEYS.includes(k));
}
