/**
 * What each policy does with values unknown at preview. Reading an unknown through @pulumi/policy's
 * proxy makes the engine downgrade the policy to advisory ("can't run during preview"): acceptable
 * only where the value really decides the outcome. Presence checks must pass on unknowns.
 */
import { catalog } from '../../policies/catalog';
import { UNKNOWN } from '../../policies/lib/unknown';
import { baselineStack, mutated } from './fixtures/baseline';
import { runAll, runPolicy } from './harness';

const policy = (id: string) => catalog.find((p) => p.metadata.id === id)!;

describe('unknown values at preview', () => {
  it('evaluates every mandatory policy on the first preview of the baseline', async () => {
    const { findings } = await runAll(catalog, baselineStack({ preview: true }));
    expect(findings.filter((f) => f.notEvaluated)).toEqual([]);
  });

  it('accepts an unknown source ARN on a Lambda permission (it is set; its value comes later)', async () => {
    const stack = mutated('lambda-validator-allow-s3', (p) => (p.sourceArn = UNKNOWN), { preview: true });
    expect((await runPolicy(policy('lambda-permission-source'), stack)).findings).toEqual([]);
  });

  it('matches bucket companions through the recorded dependency when the bucket id is unknown', async () => {
    const stack = mutated('s3-uploads-pab', (_p, r) => (r.propertyDependencies = { bucket: [] }), {
      preview: true,
    });
    const { findings } = await runPolicy(
      policy('s3-bucket-protections-present'),
      stack.map((r) => (r.name === 's3-uploads-pab' ? { ...r, dependencies: [] } : r)),
    );
    expect(findings.map((f) => f.detail)).toEqual([
      'bucket s3-uploads should have an aws.s3.BucketPublicAccessBlock (s3-public-access-block); found none.',
    ]);
  });

  it('does not pass an IAM document it cannot read: the engine reports it as not evaluated', async () => {
    const stack = mutated('role-api-policy', (p) => (p.policy = UNKNOWN));
    const { findings } = await runPolicy(policy('iam-least-privilege'), stack);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ notEvaluated: true, enforcementLevel: 'advisory' });
    expect(findings[0].detail).toMatch(
      /can't run policy 'iam-least-privilege' during preview: string value at \.policy/,
    );
  });

  it('does not pass an unknown bucket policy for the TLS rule either', async () => {
    const stack = mutated('s3-uploads-tls-only', (p) => (p.policy = UNKNOWN));
    const { findings } = await runPolicy(policy('s3-tls-only'), stack);
    expect(findings.map((f) => f.notEvaluated)).toEqual([true]);
  });

  it('treats an unknown managed policy ARN as a stack-created policy (AWS managed ARNs are literals)', async () => {
    const stack = mutated('role-apigw-logs', (p) => (p.managedPolicyArns = UNKNOWN));
    expect((await runPolicy(policy('iam-no-broad-managed-policies'), stack)).findings).toEqual([]);
  });

  it('finds a function log group through the dependency when loggingConfig.logGroup is unknown', async () => {
    const stack = mutated(
      'lambda-api',
      (p) => ((p.loggingConfig as Record<string, unknown>).logGroup = UNKNOWN),
    );
    expect((await runPolicy(policy('lambda-own-log-group'), stack)).findings).toEqual([]);
  });

  it("falls back to AWS's default /aws/lambda/<name> group when a function sets no loggingConfig", async () => {
    const stack = mutated('lambda-api', (p, r) => {
      delete p.loggingConfig;
      p.name = 'lambda-api-renamed-dev';
      r.propertyDependencies = {};
    });
    const { findings } = await runPolicy(policy('lambda-own-log-group'), stack);
    expect(findings.map((f) => f.detail)).toEqual([
      'the function should write to a log group declared in this stack; found none named "/aws/lambda/lambda-api-renamed-dev".',
    ]);
  });

  it('recognises a stream mapping by its starting position when the stream ARN is unknown', async () => {
    const stack = mutated('lambda-anomaly-stream', (p) => (p.bisectBatchOnFunctionError = false), {
      preview: true,
    });
    const { findings } = await runPolicy(policy('stream-mapping-failure-handling'), stack);
    expect(findings.map((f) => f.detail)).toEqual([
      'bisectBatchOnFunctionError should be true; found false.',
    ]);
  });
});
