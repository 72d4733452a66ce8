import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { refuseRetainedResources, RetentionGuardError } from '../../stack/guards';
import { mockCall, mockState } from '../../gate/synth/mock-values';

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    { newResource: mockState, call: mockCall },
    'transaction-processor',
    'guard',
    false,
  );
});

/**
 * Runs `program` as the CLI would: inside the root stack, with the guard registered first; resolves
 * with what the resource constructor threw (the guard throws synchronously, before registration).
 */
async function runProgram(program: () => void): Promise<unknown> {
  let thrown: unknown;
  await pulumi.runtime.runInPulumiStack(async () => {
    refuseRetainedResources();
    try {
      program();
    } catch (err) {
      thrown = err;
    }
    return {};
  });
  if (thrown) throw thrown;
  return 'registered';
}

describe('the no-retain guard', () => {
  it('refuses a resource with retainOnDelete, naming it and the option', async () => {
    await expect(
      runProgram(() => new aws.sqs.Queue('kept-queue', {}, { retainOnDelete: true })),
    ).rejects.toThrow(RetentionGuardError);
    await expect(
      runProgram(() => new aws.sqs.Queue('kept-again', {}, { retainOnDelete: true })),
    ).rejects.toThrow('Resource "kept-again" (aws:sqs/queue:Queue) sets retainOnDelete');
  });

  it('refuses a protected resource', async () => {
    await expect(
      runProgram(() => new aws.sqs.Queue('protected-queue', {}, { protect: true })),
    ).rejects.toThrow('Resource "protected-queue" (aws:sqs/queue:Queue) sets protect');
  });

  it('lets an ordinary resource through', async () => {
    await expect(runProgram(() => new aws.sqs.Queue('ordinary-queue', {}))).resolves.toBe('registered');
  });
});
