/**
 * What each policy does with values unknown at preview. Reading an unknown through @pulumi/policy's
 * proxy makes the engine downgrade the policy to advisory ("can't run during preview"): acceptable
 * only where the value really decides the outcome. Presence checks must pass on unknowns.
 *
 * The baseline is the real stack at its first preview. Its names are deterministic, so most inputs
 * are known even then; each test makes unknown the value it is about, as a program passing another
 * resource's output there would. (real-stack-preview.test.ts checks the whole preview passes.)
 */
import { catalog } from '../../policies/catalog';
import { isUnknownSentinel, UNKNOWN } from '../../policies/lib/unknown';
import { clone, runPolicy, type FixtureResource } from './harness';
import { mutated, realStack } from './real-baseline';
import {
  anomalyErrorsAlarm,
  anomalyFunction,
  anomalyStreamMapping,
  apiFunction,
  apiGatewayLogsRole,
  apiLogGroup,
  apiPolicy,
  s3InvokesValidator,
  uploadsBucket,
  uploadsBucketPolicy,
  uploadsPublicAccessBlock,
  validatorAsyncConfig,
  validatorFailureQueue,
  validatorFailuresAlarm,
} from './selectors';

const policy = (id: string) => catalog.find((p) => p.metadata.id === id)!;

let baseline: FixtureResource[];

beforeAll(async () => {
  baseline = await realStack({ preview: true });
}, 120_000);

describe('unknown values at preview', () => {
  it('accepts an unknown source ARN on a Lambda permission (it is set; its value comes later)', async () => {
    const stack = mutated(baseline, s3InvokesValidator, (p) => {
      p.sourceArn = UNKNOWN;
    });
    expect((await runPolicy(policy('lambda-permission-source'), stack)).findings).toEqual([]);
  });

  it('matches bucket companions through the recorded dependency when the bucket id is unknown', async () => {
    const stack = withUnknownBucketIds(baseline);
    const pab = uploadsPublicAccessBlock.pick(stack);
    pab.propertyDependencies = { bucket: [] };
    pab.dependencies = [];
    const { findings } = await runPolicy(policy('s3-bucket-protections-present'), stack);
    // Every other companion is still found through its dependency; only the detached one is missing.
    expect(findings.map((f) => [f.urn, f.detail])).toEqual([
      [
        uploadsBucket.pick(stack).urn,
        `bucket ${uploadsBucket.pick(stack).name} should have an aws.s3.BucketPublicAccessBlock (s3-public-access-block); found none.`,
      ],
    ]);
  });

  it('does not pass an IAM document it cannot read: the engine reports it as not evaluated', async () => {
    const stack = mutated(baseline, apiPolicy, (p) => {
      p.policy = UNKNOWN;
    });
    const { findings } = await runPolicy(policy('iam-least-privilege'), stack);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ notEvaluated: true, enforcementLevel: 'advisory' });
    expect(findings[0].detail).toMatch(
      /can't run policy 'iam-least-privilege' during preview: string value at \.policy/,
    );
  });

  it('does not pass an unknown bucket policy for the TLS rule either', async () => {
    const stack = mutated(baseline, uploadsBucketPolicy, (p) => {
      p.policy = UNKNOWN;
    });
    const { findings } = await runPolicy(policy('s3-tls-only'), stack);
    expect(findings.map((f) => f.notEvaluated)).toEqual([true]);
  });

  it('treats an unknown managed policy ARN as a stack-created policy (AWS managed ARNs are literals)', async () => {
    const stack = mutated(baseline, apiGatewayLogsRole, (p) => {
      p.managedPolicyArns = UNKNOWN;
    });
    expect((await runPolicy(policy('iam-no-broad-managed-policies'), stack)).findings).toEqual([]);
  });

  it('finds a function log group through the dependency when loggingConfig.logGroup is unknown', async () => {
    const logGroup = apiLogGroup.pick(baseline);
    const stack = mutated(baseline, apiFunction, (p, r) => {
      (p.loggingConfig as Record<string, unknown>).logGroup = UNKNOWN;
      // What the engine records when the value is the log group's output.
      r.propertyDependencies = { ...r.propertyDependencies, loggingConfig: [logGroup.urn] };
    });
    expect((await runPolicy(policy('lambda-own-log-group'), stack)).findings).toEqual([]);
  });

  it('does not guess a log group when an unknown loggingConfig.logGroup depends on none', async () => {
    const stack = mutated(baseline, apiFunction, (p, r) => {
      (p.loggingConfig as Record<string, unknown>).logGroup = UNKNOWN;
      r.propertyDependencies = { ...r.propertyDependencies, loggingConfig: [] };
    });
    const { findings } = await runPolicy(policy('lambda-own-log-group'), stack);
    expect(findings.map((f) => [f.urn, f.detail])).toEqual([
      [
        apiFunction.pick(stack).urn,
        'loggingConfig.logGroup should name a log group of this stack; found a value that depends on no log group.',
      ],
    ]);
  });

  it("falls back to AWS's default /aws/lambda/<name> group when a function sets no loggingConfig", async () => {
    const stack = mutated(baseline, apiFunction, (p, r) => {
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
    const mapping = anomalyStreamMapping.pick(baseline);
    // As at every first preview: the table's stream ARN only exists once the table does.
    expect(isUnknownSentinel(mapping.props.eventSourceArn)).toBe(true);
    const stack = mutated(baseline, anomalyStreamMapping, (p) => {
      p.bisectBatchOnFunctionError = false;
    });
    const { findings } = await runPolicy(policy('stream-mapping-failure-handling'), stack);
    expect(findings.map((f) => f.detail)).toEqual([
      'bisectBatchOnFunctionError should be true; found false.',
    ]);
  });

  it('accepts a topic whose key is created in the same stack (its ARN unknown at preview)', async () => {
    const opsTopic = baseline.find(
      (r) => r.type === 'aws:sns/topic:Topic' && isUnknownSentinel(r.props.kmsMasterKeyId),
    );
    expect(opsTopic).toBeDefined();
    expect((await runPolicy(policy('sns-topic-encrypted'), baseline)).findings).toEqual([]);
  });

  it('finds failure queues through the recorded dependency when their ARNs are unknown', async () => {
    const destination = (validatorAsyncConfig.pick(baseline).props.destinationConfig as { onFailure: Props })
      .onFailure.destination;
    // As at every first preview: the queue's ARN only exists once the queue does.
    expect(isUnknownSentinel(destination)).toBe(true);
    const stack = mutated(baseline, validatorFailuresAlarm, () => false);
    const { findings } = await runPolicy(policy('operations-alarms'), stack);
    expect(findings.map((f) => [f.urn, f.notEvaluated, f.detail])).toEqual([
      [
        validatorFailureQueue.pick(stack).urn,
        false,
        expect.stringMatching(/^failure queue sqs-validator-failures-\S+ should have a CloudWatch alarm/),
      ],
    ]);
  });

  it("matches an alarm to its function through the dependency when the alarm's dimension is unknown", async () => {
    const fn = anomalyFunction.pick(baseline);
    const stack = mutated(baseline, anomalyErrorsAlarm, (p, r) => {
      p.dimensions = { FunctionName: UNKNOWN };
      r.propertyDependencies = { ...r.propertyDependencies, dimensions: [fn.urn] };
    });
    expect((await runPolicy(policy('operations-alarms'), stack)).findings).toEqual([]);
    const detached = mutated(stack, anomalyErrorsAlarm, (_p, r) => {
      r.propertyDependencies = { ...r.propertyDependencies, dimensions: [] };
    });
    const { findings } = await runPolicy(policy('operations-alarms'), detached);
    expect(findings.map((f) => f.urn)).toEqual([fn.urn]);
  });
});

type Props = Record<string, unknown>;

/**
 * A copy of the baseline as if every companion of the uploads bucket took the bucket's id, unknown
 * at the first preview: only the dependency the engine records still ties them to the bucket.
 */
function withUnknownBucketIds(stack: FixtureResource[]): FixtureResource[] {
  const copy = clone(stack);
  const bucket = uploadsBucket.pick(copy);
  const companions = copy.filter((r) => r !== bucket && r.props.bucket === bucket.props.bucket);
  if (companions.length === 0) throw new Error('the uploads bucket has no companions in the baseline');
  for (const r of companions) {
    if (!r.propertyDependencies?.bucket?.includes(bucket.urn)) {
      throw new Error(`${r.name}: the engine recorded no dependency of its bucket on ${bucket.name}`);
    }
    r.props.bucket = UNKNOWN;
  }
  return copy;
}
