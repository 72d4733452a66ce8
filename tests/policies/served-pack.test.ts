/**
 * The compiled pack, started exactly as the Pulumi CLI starts it: node runs
 * `@pulumi/pulumi/cmd/run-policy-pack <engine-address> .` in policies/, the pack prints its port,
 * and the engine talks Analyzer gRPC to it, on every Node a user may have. Proves packaging (main -> bin/index.js, no ts-node
 * type-check), metadata on the wire, config and enforcement.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { Struct } from 'google-protobuf/google/protobuf/struct_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import { catalog } from '../../policies/catalog';
import { nodeBinaries } from '../support/node-binaries';

/* eslint-disable @typescript-eslint/no-require-imports */
const analyzerPb = require('@pulumi/pulumi/proto/analyzer_pb');
const analyzerGrpc = require('@pulumi/pulumi/proto/analyzer_grpc_pb');
/* eslint-enable @typescript-eslint/no-require-imports */

const PACK_DIR = path.resolve(__dirname, '../../policies');
const ENTRY = path.join(PACK_DIR, 'bin/index.js');

type Client = Record<string, (req: unknown, cb: (err: Error | null, res: never) => void) => void>;
const call = <T>(client: Client, method: string, req: unknown) =>
  new Promise<T>((resolve, reject) => client[method](req, (err, res) => (err ? reject(err) : resolve(res))));

function newestSource(dir: string): number {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !['bin', 'scripts', 'node_modules'].includes(e.name))
    .map((e) => {
      const full = path.join(dir, e.name);
      return e.isDirectory()
        ? newestSource(full)
        : /\.(ts|json)$/.test(e.name)
          ? fs.statSync(full).mtimeMs
          : 0;
    })
    .reduce((a, b) => Math.max(a, b), 0);
}

/** `npm test` builds first (pretest); a direct jest run rebuilds only if the output is stale. */
function ensureBuilt(): void {
  if (fs.existsSync(ENTRY) && fs.statSync(ENTRY).mtimeMs >= newestSource(PACK_DIR)) return;
  execFileSync(process.execPath, [
    require.resolve('typescript/bin/tsc'),
    '-p',
    path.join(PACK_DIR, 'tsconfig.json'),
  ]);
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>) {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:dev::transaction-processor::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props as never));
  req.setOptions(new analyzerPb.AnalyzerResourceOptions());
  const provider = new analyzerPb.AnalyzerProviderResource();
  provider.setType('pulumi:providers:aws');
  provider.setName('aws-us-east-1');
  provider.setUrn('urn:pulumi:dev::transaction-processor::pulumi:providers:aws::aws-us-east-1');
  provider.setProperties(
    Struct.fromJavaScript({
      region: 'us-east-1',
      defaultTags: '{"tags":{"Environment":"production","Project":"transaction-processor"}}',
    }),
  );
  req.setProvider(provider);
  return req;
}

// The CLI starts the pack on the user's Node, so it must serve on the machine's Node (20 here) as
// well as on the Node 24 the npm scripts run.
describe.each(nodeBinaries())('the pack served as the Pulumi CLI runs it, on $role ($version)', (node) => {
  let child: ChildProcess;
  let client: Client;
  let startupMs = 0;

  beforeAll(async () => {
    ensureBuilt();
    const runner = require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [PACK_DIR] });
    const started = Date.now();
    child = spawn(node.path, [runner, '127.0.0.1:0', '.'], {
      cwd: PACK_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim().split('\n')[0])));
      child.once('exit', (code) => reject(new Error(`pack exited with ${code}: ${stderr}`)));
    });
    startupMs = Date.now() - started;
    const Ctor = grpc.makeGenericClientConstructor(analyzerGrpc.AnalyzerService, 'Analyzer');
    client = new Ctor(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Client;
  }, 60_000);

  afterAll(() => {
    (client as unknown as grpc.Client | undefined)?.close();
    if (child && child.exitCode === null) child.kill('SIGTERM');
  });

  it('starts from compiled JavaScript quickly (no TypeScript type-check)', () => {
    expect(startupMs).toBeLessThan(20_000);
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'transaction-processor-policies', main: 'bin/index.js' });
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('describes every policy with severity, framework and remediation on the wire', async () => {
    const info = await call<{ toObject(): Record<string, unknown> }>(client, 'getAnalyzerInfo', new Empty());
    const o = info.toObject() as { name: string; version: string; policiesList: Record<string, unknown>[] };
    expect(o.name).toBe('transaction-processor-policies');
    const tags = o.policiesList.find((p) => p.name === 'required-tags')!;
    expect(tags).toMatchObject({
      enforcementlevel: analyzerPb.EnforcementLevel.MANDATORY,
      severity: analyzerPb.PolicySeverity.POLICY_SEVERITY_MEDIUM,
      framework: expect.objectContaining({ name: 'PCI DSS', version: '4.0.1' }),
      remediationSteps: expect.stringContaining('defaultTags'),
    });
    // The compiled pack is up to date: it serves exactly the policies of the source catalog.
    expect(o.policiesList.map((p) => p.name).sort()).toEqual(catalog.map((p) => p.metadata.id).sort());
  });

  it('reports a mandatory violation with its message, then honours --policy-pack-config', async () => {
    const props = { name: '/aws/lambda/lambda-api-dev', retentionInDays: 7 };
    type Resp = {
      getDiagnosticsList(): {
        getPolicyname(): string;
        getMessage(): string;
        getEnforcementlevel(): number;
      }[];
    };
    const before = await call<Resp>(
      client,
      'analyze',
      analyzeRequest('aws:cloudwatch/logGroup:LogGroup', 'log-api', props),
    );
    expect(before.getDiagnosticsList()).toEqual([]); // tags come from the provider's defaultTags

    const configure = new analyzerPb.ConfigureAnalyzerRequest();
    const policyConfig = new analyzerPb.PolicyConfig();
    policyConfig.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
    policyConfig.setProperties(Struct.fromJavaScript({ retentionDays: 14 }));
    configure.getPolicyconfigMap().set('log-group-retention', policyConfig);
    await call(client, 'configure', configure);

    const after = await call<Resp>(
      client,
      'analyze',
      analyzeRequest('aws:cloudwatch/logGroup:LogGroup', 'log-api', props),
    );
    const d = after
      .getDiagnosticsList()
      .map((x) => [x.getPolicyname(), x.getMessage(), x.getEnforcementlevel()]);
    expect(d).toEqual([
      [
        'log-group-retention',
        expect.stringContaining('retentionInDays should be 14; found 7.'),
        analyzerPb.EnforcementLevel.MANDATORY,
      ],
    ]);
  });
  it('reports an exemption, with its written justification, as the not-applicable reason', async () => {
    const justification = 'Imported log group owned by the platform team until migration ticket PLAT-42.';
    const configure = new analyzerPb.ConfigureAnalyzerRequest();
    const policyConfig = new analyzerPb.PolicyConfig();
    policyConfig.setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY);
    policyConfig.setProperties(
      Struct.fromJavaScript({ retentionDays: 14, exemptions: [{ resource: 'log-api', justification }] }),
    );
    configure.getPolicyconfigMap().set('log-group-retention', policyConfig);
    await call(client, 'configure', configure);
    type Resp = {
      getDiagnosticsList(): unknown[];
      getNotApplicableList(): { getPolicyName(): string; getReason(): string }[];
    };
    const props = { name: '/aws/lambda/lambda-api-dev', retentionInDays: 7 };
    const resp = await call<Resp>(
      client,
      'analyze',
      analyzeRequest('aws:cloudwatch/logGroup:LogGroup', 'log-api', props),
    );
    expect(resp.getDiagnosticsList()).toEqual([]);
    const reasons = resp.getNotApplicableList().map((n) => [n.getPolicyName(), n.getReason()]);
    expect(reasons).toContainEqual(['log-group-retention', `Exempted: ${justification}`]);
  });
});
