/**
 * `retainOnDelete` is a resource option the engine never sends to analyzers (AnalyzerResourceOptions
 * has no such field), so no policy pack can see it. The gate enforces it itself, as a mandatory
 * control reported exactly like a pack policy. https://www.pulumi.com/docs/iac/concepts/options/retainondelete/
 */
import type { GateResource, PolicyMeta, Violation } from './types';

export const GATE_PACK_NAME = 'offline-gate';
export const GATE_VERSION = '1.0.0';

export const RETAIN_POLICY: PolicyMeta = {
  name: 'no-retain-on-delete',
  displayName: 'No resource is retained on delete',
  description:
    'No resource sets the retainOnDelete option, so that destroying the stack removes every resource it created. ' +
    'Policy packs cannot see this option; the offline gate enforces it.',
  kind: 'resource',
  enforcementLevel: 'mandatory',
  severity: 'high',
  tags: ['no-retain', 'gate'],
  remediationSteps: 'Remove `retainOnDelete: true` from the resource options in the Pulumi program.',
};

export function retainViolations(resources: GateResource[]): Violation[] {
  return resources
    .filter((r) => r.options.retainOnDelete === true)
    .map((r) => ({
      policyName: RETAIN_POLICY.name,
      policyPackName: GATE_PACK_NAME,
      policyPackVersion: GATE_VERSION,
      urn: r.urn,
      message: `${RETAIN_POLICY.description}\nResource ${r.name} (${r.type}) should not set retainOnDelete, but it is set to true.`,
      description: RETAIN_POLICY.description,
      enforcementLevel: 'mandatory',
      severity: RETAIN_POLICY.severity,
      source: 'gate',
    }));
}
