import { createAsyncInvoker, type AsyncFailureRecord } from '../../../tools/local/async-invoker';
import { FunctionInvocationError } from '../../../tools/local/function-host';

const setup = (outcomes: ('ok' | 'fail')[], maximumRetryAttempts = 2) => {
  const failures: AsyncFailureRecord[] = [];
  let calls = 0;
  const invoker = createAsyncInvoker({
    functionArn: 'arn:aws:lambda:us-east-1:1:function:validator',
    maximumRetryAttempts,
    maximumEventAgeSeconds: 3600,
    retryDelaysMs: [1, 1],
    invoke: async () => {
      const outcome = outcomes[Math.min(calls++, outcomes.length - 1)];
      if (outcome === 'fail')
        throw new FunctionInvocationError('validator', 'WriteFailedError', 'rows not written');
    },
    onFailure: (record) => failures.push(record),
  });
  return { invoker, failures, calls: () => calls };
};

describe('asynchronous invocation', () => {
  test('a function error is retried, and a later success ends it', async () => {
    const { invoker, failures, calls } = setup(['fail', 'ok']);
    invoker.submit({ Records: [] });
    await invoker.idle();
    expect(calls()).toBe(2);
    expect(failures).toEqual([]);
  });

  test('after the last retry the event goes to the failure destination with the error', async () => {
    const { invoker, failures, calls } = setup(['fail']);
    const event = { Records: [{ s3: { object: { key: 'uploads/m/a.csv' } } }] };
    invoker.submit(event);
    await invoker.idle();
    expect(calls()).toBe(3);
    expect(failures).toEqual([
      expect.objectContaining({
        requestContext: expect.objectContaining({ condition: 'RetriesExhausted', approximateInvokeCount: 3 }),
        requestPayload: event,
        responsePayload: { errorType: 'WriteFailedError', errorMessage: 'rows not written' },
      }),
    ]);
  });
});
