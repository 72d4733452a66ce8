import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionDefinition } from '../../../tools/local/definitions';
import { FunctionHost, FunctionInvocationError } from '../../../tools/local/function-host';

const CODE = `
const loadedWith = process.env.TABLE_NAME;
exports.handler = async (event, context) => {
  console.log('log line from ' + context.functionName);
  if (event.fail) throw Object.assign(new Error('bad input'), { name: 'BadInputError' });
  if (event.hang) await new Promise(() => {});
  return { loadedWith, region: process.env.AWS_REGION, remaining: context.getRemainingTimeInMillis() > 0 };
};`;

let dir: string;
let host: FunctionHost;
const definition = (timeoutSeconds: number): FunctionDefinition => ({
  purpose: 'api',
  name: 'lambda-test',
  arn: 'arn:aws:lambda:us-east-1:1:function:lambda-test',
  timeoutSeconds,
  memoryMb: 128,
  logGroup: '/aws/lambda/lambda-test',
  environment: { TABLE_NAME: 'table-a' },
  code: CODE,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'function-host-'));
  host = new FunctionHost(definition(1), {
    codeDir: join(dir, 'code'),
    logFile: join(dir, 'fn.log'),
    baseEnv: { AWS_REGION: 'us-east-1' },
  });
});
afterEach(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a local execution environment', () => {
  test('runs the bundle with its own environment and a Lambda context, logging to its file', async () => {
    expect(await host.invoke({})).toEqual({ loadedWith: 'table-a', region: 'us-east-1', remaining: true });
    await host.stop();
    expect(readFileSync(join(dir, 'fn.log'), 'utf8')).toContain('log line from lambda-test');
  });

  test("returns the function's error as Lambda reports it", async () => {
    await expect(host.invoke({ fail: true })).rejects.toEqual(
      expect.objectContaining({ errorType: 'BadInputError', errorMessage: 'bad input' }),
    );
    // The environment survives a handled error.
    expect(await host.invoke({})).toMatchObject({ loadedWith: 'table-a' });
  });

  test('times out after the function timeout, and the next call starts a fresh environment', async () => {
    const error = await host.invoke({ hang: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FunctionInvocationError);
    expect((error as FunctionInvocationError).errorType).toBe('Sandbox.Timedout');
    expect(await host.invoke({})).toMatchObject({ loadedWith: 'table-a' });
  });
});
