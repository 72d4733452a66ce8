/**
 * A typed, promise-based client of the Analyzer gRPC service (pulumi/proto/pulumi/analyzer.proto)
 * on the SDK's generated stubs: the generated client (over grpc-js, see grpc-client.ts) encodes
 * every request and decodes every response; requests.ts builds the engine's requests.
 */
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import type { AnalyzerClient } from '@pulumi/pulumi/proto/analyzer_grpc_pb';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import * as grpc from '@grpc/grpc-js';
import { AnalyzerCallError } from './errors';
import { analyzerClient, unary } from './grpc-client';
import type { EnforcementLevel, PackInfo, PolicyMeta, ReconciledConfig, Severity } from './types';

const LEVELS: Record<number, EnforcementLevel> = {
  [pb.EnforcementLevel.ADVISORY]: 'advisory',
  [pb.EnforcementLevel.MANDATORY]: 'mandatory',
  [pb.EnforcementLevel.DISABLED]: 'disabled',
  [pb.EnforcementLevel.REMEDIATE]: 'remediate',
};
const LEVEL_CODES: Record<EnforcementLevel, pb.EnforcementLevel> = {
  advisory: pb.EnforcementLevel.ADVISORY,
  mandatory: pb.EnforcementLevel.MANDATORY,
  disabled: pb.EnforcementLevel.DISABLED,
  remediate: pb.EnforcementLevel.REMEDIATE,
};
const SEVERITIES: Record<number, Severity> = {
  [pb.PolicySeverity.POLICY_SEVERITY_LOW]: 'low',
  [pb.PolicySeverity.POLICY_SEVERITY_MEDIUM]: 'medium',
  [pb.PolicySeverity.POLICY_SEVERITY_HIGH]: 'high',
  [pb.PolicySeverity.POLICY_SEVERITY_CRITICAL]: 'critical',
};

export const levelName = (code: number): EnforcementLevel => LEVELS[code] ?? 'advisory';
export const severityName = (code: number): Severity => SEVERITIES[code] ?? 'unspecified';

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
  severity: Severity;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: { policyName: string; reason: string }[];
}

export interface RemediateResult {
  remediations: {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    properties?: Record<string, unknown>;
    diagnostic?: string;
  }[];
}

/**
 * What the CLI takes from PulumiPolicy.yaml over the pack's own answers: its `version` replaces the
 * version in the pack's info, diagnostics and remediations, and its `description` stands in for a
 * pack that reports none (pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go).
 */
export interface PackProjectOverrides {
  version?: string;
  description?: string;
}

export class Analyzer {
  private readonly client: AnalyzerClient;

  constructor(
    private readonly address: string,
    private readonly project: PackProjectOverrides = {},
  ) {
    this.client = analyzerClient(address);
  }

  private packVersion(reported: string): string {
    return this.project.version || reported;
  }

  close(): void {
    this.client.close();
  }

  async getAnalyzerInfo(): Promise<PackInfo> {
    const info = await unary<pb.AnalyzerInfo>(this.address, 'getAnalyzerInfo', (cb) =>
      this.client.getAnalyzerInfo(new Empty(), cb),
    );
    const initialConfig: PackInfo['initialConfig'] = {};
    info.getInitialconfigMap().forEach((c, name) => {
      initialConfig[name] = {
        enforcementLevel: levelName(c.getEnforcementlevel()),
        properties: (c.getProperties()?.toJavaScript() as Record<string, unknown>) ?? undefined,
      };
    });
    return {
      name: info.getName(),
      version: this.packVersion(info.getVersion()),
      displayName: info.getDisplayname() || undefined,
      description: info.getDescription() || this.project.description || undefined,
      policies: info.getPoliciesList().map(policyMeta),
      initialConfig,
      supportsConfig: info.getSupportsconfig(),
    };
  }

  async configure(config: ReconciledConfig): Promise<void> {
    const req = new pb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_CODES[c.enforcementLevel]);
      pc.setProperties(Struct.fromJavaScript(c.properties as Parameters<typeof Struct.fromJavaScript>[0]));
      map.set(name, pc);
    }
    await unary(this.address, 'configure', (cb) => this.client.configure(req, cb));
  }

  /**
   * A pack built on an SDK older than ConfigureStack answers UNIMPLEMENTED, which the CLI accepts
   * (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer).
   */
  async configureStack(req: pb.AnalyzerStackConfigureRequest): Promise<void> {
    try {
      await unary(this.address, 'configureStack', (cb) => this.client.configureStack(req, cb));
    } catch (e) {
      if (!(e instanceof AnalyzerCallError && e.code === grpc.status.UNIMPLEMENTED)) throw e;
    }
  }

  async analyze(req: pb.AnalyzeRequest): Promise<AnalyzeResult> {
    const res = await unary<pb.AnalyzeResponse>(this.address, 'analyze', (cb) =>
      this.client.analyze(req, cb),
    );
    return analyzeResult(res, (v) => this.packVersion(v));
  }

  async analyzeStack(req: pb.AnalyzeStackRequest): Promise<AnalyzeResult> {
    const res = await unary<pb.AnalyzeResponse>(this.address, 'analyzeStack', (cb) =>
      this.client.analyzeStack(req, cb),
    );
    return analyzeResult(res, (v) => this.packVersion(v));
  }

  async remediate(req: pb.AnalyzeRequest): Promise<RemediateResult> {
    const res = await unary<pb.RemediateResponse>(this.address, 'remediate', (cb) =>
      this.client.remediate(req, cb),
    );
    return {
      remediations: res.getRemediationsList().map((r) => ({
        policyName: r.getPolicyname(),
        policyPackName: r.getPolicypackname(),
        policyPackVersion: this.packVersion(r.getPolicypackversion()),
        description: r.getDescription(),
        properties: r.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
        diagnostic: r.getDiagnostic() || undefined,
      })),
    };
  }
}

function policyMeta(p: pb.PolicyInfo): PolicyMeta {
  const schema = p.getConfigschema();
  const fw = p.getFramework();
  return {
    name: p.getName(),
    displayName: p.getDisplayname() || undefined,
    description: p.getDescription(),
    kind: p.getPolicyType() === pb.PolicyType.POLICY_TYPE_STACK ? 'stack' : 'resource',
    enforcementLevel: levelName(p.getEnforcementlevel()),
    severity: severityName(p.getSeverity()),
    framework: fw
      ? {
          name: fw.getName() || undefined,
          version: fw.getVersion() || undefined,
          reference: fw.getReference() || undefined,
          specification: fw.getSpecification() || undefined,
        }
      : undefined,
    tags: p.getTagsList(),
    remediationSteps: p.getRemediationSteps() || undefined,
    url: p.getUrl() || undefined,
    configSchema: schema
      ? {
          properties: (schema.getProperties()?.toJavaScript() as Record<string, unknown>) ?? {},
          required: schema.getRequiredList(),
        }
      : undefined,
  };
}

function analyzeResult(res: pb.AnalyzeResponse, packVersion: (reported: string) => string): AnalyzeResult {
  return {
    diagnostics: res.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: packVersion(d.getPolicypackversion()),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: levelName(d.getEnforcementlevel()),
      urn: d.getUrn(),
      severity: severityName(d.getSeverity()),
    })),
    notApplicable: res
      .getNotApplicableList()
      .map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}
