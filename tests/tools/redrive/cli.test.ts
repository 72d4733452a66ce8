/**
 * `npm run redrive -- --stack NAME` as an operator runs it: exit 2 with one line when it cannot run,
 * and AWS_ENDPOINT_URL honoured (a small SQS endpoint over HTTP answers here, as SQS's JSON API does).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The command in a clean environment: no credentials or profiles of this machine, no IMDS. */
function redrive(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const home = mkdtempSync(join(tmpdir(), 'redrive-cli-'));
  const child = spawn(
    process.execPath,
    [require.resolve('tsx/cli'), join(ROOT, 'tools', 'redrive', 'cli.ts'), ...args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        AWS_CONFIG_FILE: join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
    },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  return new Promise((done) =>
    child.on('close', (status) => {
      rmSync(home, { recursive: true, force: true });
      done({ status, ...out });
    }),
  );
}

/** SQS's JSON protocol: GetQueueUrl names a queue of this endpoint; ReceiveMessage finds it empty. */
function emptySqs(): Promise<{ server: Server; url: string; targets: string[] }> {
  const targets: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      targets.push(target);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const body = target.endsWith('.GetQueueUrl') ? { QueueUrl: `${url}/123456789012/queue` } : {};
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    });
  });
  return new Promise((ready) =>
    server.listen(0, '127.0.0.1', () =>
      ready({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, targets }),
    ),
  );
}

describe('npm run redrive -- --stack NAME', () => {
  it('exits 2 with one line naming the missing stack file and the stacks there are', async () => {
    const run = await redrive(['--stack', 'nope']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^npm run redrive: no stack file .*Pulumi\.nope\.yaml: .*\(here: .*dev.*\)\.\n$/,
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 with one line saying what to do when there are no AWS credentials', async () => {
    const run = await redrive(['--stack', 'dev']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^npm run redrive: cannot read sqs-validator-failures-dev: CredentialsProviderError: .*\(no AWS credentials: set AWS_PROFILE.*\)\n$/,
    );
  });

  it('exits 2 when told both where the local AWS is and which deployed stack to use', async () => {
    const run = await redrive(['--stack', 'dev', '--state-dir', '.local']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('npm run redrive: --stack (AWS) and --state-dir (local) exclude each other\n');
  });

  it('talks to AWS_ENDPOINT_URL, and exits 0 when both queues are empty', async () => {
    const { server, url, targets } = await emptySqs();
    try {
      const run = await redrive(['--stack', 'dev'], {
        AWS_ENDPOINT_URL: url,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      });
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(
        /redrive: 0 message\(s\), 0 to replay; replayed 0, failed again 0, lost 0\.\n$/,
      );
      expect(run.status).toBe(0);
      expect(targets).toEqual([
        'AmazonSQS.GetQueueUrl',
        'AmazonSQS.ReceiveMessage',
        'AmazonSQS.GetQueueUrl',
        'AmazonSQS.ReceiveMessage',
      ]);
    } finally {
      server.close();
    }
  });
});
