import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { parseStackConfig } from '../../stack/config';
import { RetentionGuardError } from '../../stack/guards';
import { createStack } from '../../stack/program';
import { mockCall, mockState } from '../../gate/synth/mock-values';

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    { newResource: mockState, call: mockCall },
    'transaction-processor',
    'guarded',
    false,
  );
});

describe('the program', () => {
  it('installs the no-retain guard: a retained resource added next to the stack is refused', async () => {
    let thrown: unknown;
    await pulumi.runtime.runInPulumiStack(async () => {
      createStack(
        parseStackConfig({
          environmentSuffix: 'dev',
          alertEmail: 'a@example.com',
          merchants: ['merchant-a'],
        }),
      );
      try {
        new aws.sqs.Queue('kept-by-mistake', {}, { retainOnDelete: true });
      } catch (err) {
        thrown = err;
      }
      return {};
    });
    expect(thrown).toBeInstanceOf(RetentionGuardError);
    expect(String(thrown)).toContain('"kept-by-mistake" (aws:sqs/queue:Queue) sets retainOnDelete');
  });
});
