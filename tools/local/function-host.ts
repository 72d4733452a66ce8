/**
 * A local Lambda execution environment for one function: the deployment bundle from the stack runs
 * in a worker thread with the function's own environment variables (a worker has its own
 * `process.env`), one invocation at a time as in a Lambda sandbox, with the function's timeout.
 * Its stdout/stderr (Powertools JSON logs, EMF metrics) go to the function's log file, as
 * CloudWatch Logs would receive them. A timeout or a crash discards the environment, so the next
 * invocation is a cold start, as in Lambda:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FunctionDefinition } from './definitions';

/** An error returned by the function (Lambda's `{ errorType, errorMessage }`). */
export class FunctionInvocationError extends Error {
  override readonly name = 'FunctionInvocationError';
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
  ) {
    super(`${functionName} failed: ${errorType}: ${errorMessage}`);
  }
}

// Plain JavaScript so the worker needs no TypeScript loader (it also runs under jest). It builds a
// Lambda context object and loads the bundle lazily: a failed init is retried by the next call.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
if (process.setSourceMapsEnabled) process.setSourceMapsEnabled(true);
let handler;
parentPort.on('message', async (msg) => {
  const context = {
    functionName: workerData.name, functionVersion: '$LATEST', invokedFunctionArn: workerData.arn,
    memoryLimitInMB: String(workerData.memoryMb), awsRequestId: msg.requestId,
    logGroupName: workerData.logGroup, logStreamName: 'local/[$LATEST]' + workerData.stream,
    callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    done() {}, fail() {}, succeed() {},
  };
  try {
    if (!handler) handler = require(workerData.entry).handler;
    if (typeof handler !== 'function') throw Object.assign(new Error('index.handler is not a function'), { name: 'Runtime.HandlerNotFound' });
    const result = await handler(msg.event, context);
    parentPort.postMessage({ id: msg.id, ok: true, result: result === undefined ? null : result });
  } catch (error) {
    handler = undefined;
    const e = error || {};
    parentPort.postMessage({ id: msg.id, ok: false, errorType: String(e.name || 'Error'), errorMessage: String(e.message || e) });
  }
});`;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface FunctionHostOptions {
  /** Where the bundle is written (`<dir>/index.js`). */
  codeDir: string;
  logFile: string;
  /** Variables every function gets (region, credentials, local endpoints). */
  baseEnv: Record<string, string>;
}

export class FunctionHost {
  private worker?: Worker;
  private readonly pending = new Map<string, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly log: WriteStream;
  private readonly entry: string;
  private stopped = false;

  constructor(
    readonly definition: FunctionDefinition,
    private readonly options: FunctionHostOptions,
  ) {
    mkdirSync(options.codeDir, { recursive: true });
    this.entry = join(options.codeDir, 'index.js');
    writeFileSync(this.entry, definition.code);
    if (definition.sourceMap) writeFileSync(`${this.entry}.map`, definition.sourceMap);
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  /** Invokes the function (one at a time) and resolves with its result, or rejects with its error. */
  invoke<T = unknown>(event: unknown): Promise<T> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run as Promise<T>;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.discard(new Error(`${this.definition.name} was stopped`));
    await new Promise<void>((resolve) => this.log.end(resolve));
  }

  private environment(): Record<string, string> {
    const d = this.definition;
    return {
      ...this.options.baseEnv,
      ...d.environment,
      AWS_LAMBDA_FUNCTION_NAME: d.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(d.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: d.logGroup,
      // X-Ray has no local emulator: tracing is off locally (Active on AWS).
      POWERTOOLS_TRACE_ENABLED: 'false',
    };
  }

  private start(): Worker {
    const d = this.definition;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      env: this.environment(),
      stdout: true,
      stderr: true,
      workerData: {
        entry: this.entry,
        name: d.name,
        arn: d.arn,
        memoryMb: d.memoryMb,
        logGroup: d.logGroup,
        stream: randomUUID().replace(/-/g, ''),
      },
      // Lambda's memory setting bounds the heap, roughly, as it does on AWS.
      resourceLimits: { maxOldGenerationSizeMb: d.memoryMb },
    });
    worker.stdout.pipe(this.log, { end: false });
    worker.stderr.pipe(this.log, { end: false });
    worker.on(
      'message',
      (msg: { id: string; ok: boolean; result?: unknown; errorType?: string; errorMessage?: string }) => {
        const pending = this.pending.get(msg.id);
        if (!pending) return;
        this.pending.delete(msg.id);
        clearTimeout(pending.timer);
        if (msg.ok) pending.resolve(msg.result);
        else
          pending.reject(
            new FunctionInvocationError(d.name, msg.errorType ?? 'Error', msg.errorMessage ?? ''),
          );
      },
    );
    const crash = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(new FunctionInvocationError(d.name, 'Runtime.ExitError', error.message));
    };
    worker.on('error', crash);
    worker.on('exit', (code) => crash(new Error(`the runtime exited with code ${code}`)));
    return worker;
  }

  private invokeNow(event: unknown): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error(`${this.definition.name} is stopped`));
    this.worker ??= this.start();
    const worker = this.worker;
    const id = randomUUID();
    const timeoutMs = this.definition.timeoutSeconds * 1000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        const seconds = this.definition.timeoutSeconds.toFixed(2);
        this.log.write(`Task timed out after ${seconds} seconds\n`);
        void this.discard(new Error('discarded after a timeout'));
        reject(
          new FunctionInvocationError(
            this.definition.name,
            'Sandbox.Timedout',
            `Task timed out after ${seconds} seconds`,
          ),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, requestId: id, event, deadline: Date.now() + timeoutMs });
    });
  }

  private failAll(error: Error): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
      this.pending.delete(id);
    }
  }

  private async discard(reason: Error): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(reason);
    if (worker) await worker.terminate();
  }
}
