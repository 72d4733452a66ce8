/**
 * Policy metadata kept next to each policy's logic (pulumi/compliance-policies style): a stable id,
 * full-sentence description, severity, control mapping and remediation steps. `toPolicyFields`
 * turns it into the fields @pulumi/policy sends to the engine (framework, tags, url, ...).
 */
import type { EnforcementLevel, PolicyComplianceFramework, Severity } from '@pulumi/policy';
import type { PolicyConfigJSONSchema } from '@pulumi/policy/schema';

/** Controls a policy maps to. PCI DSS is mandatory; FSBP and CIS where one applies. */
export interface ControlMapping {
  /** PCI DSS v4.0.1 requirement numbers, e.g. `10.2.1`. */
  readonly pciDss: readonly string[];
  /** AWS Foundational Security Best Practices control ids, e.g. `Lambda.7`. */
  readonly fsbp?: readonly string[];
  /** CIS AWS Foundations Benchmark v3.0.0 recommendation numbers, e.g. `2.1.1`. */
  readonly cis?: readonly string[];
}

export interface PolicyMetadata {
  /** Stable kebab-case id; reports and config files refer to it, so it never changes. */
  readonly id: string;
  readonly displayName: string;
  /** Full sentences: what must be true and why. */
  readonly description: string;
  readonly enforcementLevel: Extract<EnforcementLevel, 'mandatory' | 'advisory'>;
  readonly severity: Severity;
  readonly controls: ControlMapping;
  readonly remediationSteps: string;
  /** Where the rule's AWS behaviour is documented. */
  readonly url?: string;
  /** Tunable thresholds and lists, each with a default (JSON schema). */
  readonly config?: Readonly<Record<string, PolicyConfigJSONSchema>>;
}

export const PCI_DSS_FRAMEWORK = { name: 'PCI DSS', version: '4.0.1' } as const;
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Framework, tags and url as @pulumi/policy's Policy fields (see its policy.d.ts). */
export function toPolicyFields(meta: PolicyMetadata): {
  framework: PolicyComplianceFramework;
  tags: string[];
  url?: string;
} {
  const { pciDss, fsbp = [], cis = [] } = meta.controls;
  const reference = [
    `PCI DSS v4.0.1 ${pciDss.join(', ')}`,
    ...(fsbp.length ? [`AWS FSBP ${fsbp.join(', ')}`] : []),
    ...(cis.length ? [`CIS AWS Foundations v3.0.0 ${cis.join(', ')}`] : []),
  ].join('; ');
  return {
    framework: {
      ...PCI_DSS_FRAMEWORK,
      reference,
      specification: pciDss.map((r) => `Requirement ${r}`).join(', '),
    },
    tags: [
      meta.enforcementLevel,
      ...pciDss.map((r) => `pci-dss:${r}`),
      ...fsbp.map((c) => `fsbp:${c}`),
      ...cis.map((c) => `cis:${c}`),
    ],
    ...(meta.url ? { url: meta.url } : {}),
  };
}
