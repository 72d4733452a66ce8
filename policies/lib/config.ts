/**
 * Policy configuration: every threshold and list has a default in the schema, so
 * `--policy-pack-config` can tune it. Defaults are also merged here, because the engine may call a
 * policy with no config at all (tests, or a CLI that does not apply schema defaults).
 */
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';

/** A written reason to skip one resource; the reason is reported as the "not applicable" reason. */
export interface Exemption {
  /** Logical resource name or full URN. */
  readonly resource: string;
  readonly justification: string;
}

export const MIN_JUSTIFICATION_LENGTH = 20;

export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: 'array',
  description:
    'Resources this policy skips. Each needs a written justification, which reports show as the not-applicable reason.',
  default: [],
  items: {
    type: 'object',
    required: ['resource', 'justification'],
    additionalProperties: false,
    properties: {
      resource: { type: 'string', minLength: 1, description: 'Logical resource name or full URN.' },
      justification: { type: 'string', minLength: MIN_JUSTIFICATION_LENGTH },
    },
  },
};

export class InvalidPolicyConfigError extends Error {
  constructor(policyId: string, detail: string) {
    super(`Invalid configuration for policy '${policyId}': ${detail}`);
    this.name = 'InvalidPolicyConfigError';
  }
}

/** Schema defaults, overridden by whatever the engine passed. */
export function withDefaults(
  schema: Readonly<Record<string, PolicyConfigJSONSchema>>,
  given: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema)) merged[key] = property.default;
  for (const [key, value] of Object.entries(given)) if (value !== undefined) merged[key] = value;
  return merged;
}

export function readExemptions(policyId: string, value: unknown): Exemption[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidPolicyConfigError(policyId, 'exemptions must be an array.');
  return value.map((entry, index) => {
    const e = entry as Partial<Exemption> | null;
    if (!e || typeof e.resource !== 'string' || e.resource.length === 0) {
      throw new InvalidPolicyConfigError(policyId, `exemptions[${index}] needs a "resource" (name or URN).`);
    }
    if (typeof e.justification !== 'string' || e.justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
      throw new InvalidPolicyConfigError(
        policyId,
        `exemptions[${index}] for "${e.resource}" needs a written justification of at least ${MIN_JUSTIFICATION_LENGTH} characters.`,
      );
    }
    return { resource: e.resource, justification: e.justification.trim() };
  });
}
