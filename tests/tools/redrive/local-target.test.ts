import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDefinitions } from '../../../tools/local/definitions';
import { localTarget, LocalStateError } from '../../../tools/redrive/local-target';

/** The local target only reads region and bucket before it replays anything. */
const definitions = {
  region: 'us-east-1',
  bucket: { name: 'b' },
  functions: {},
} as unknown as LocalDefinitions;

describe('the local failure queues', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redrive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('need npm start: without its local.json the command says to start it', () => {
    expect(() => localTarget(dir, definitions)).toThrow(LocalStateError);
    expect(() => localTarget(dir, definitions)).toThrow(/start the local AWS first \(npm start/);
  });

  it('need the local AWS to answer: a stopped one is said to be gone, not replayed into', async () => {
    const endpoint = 'http://127.0.0.1:9'; // the discard port: nothing listens there
    writeFileSync(
      join(dir, 'local.json'),
      JSON.stringify({
        stack: 'dev',
        endpoints: { dynamodb: endpoint, s3: endpoint, sns: endpoint, secretsManager: endpoint },
        shardCount: 4,
        keyAttributes: ['transaction_id'],
      }),
    );
    const target = localTarget(dir, definitions);
    try {
      await expect(target.list()).rejects.toThrow(/does not answer at http:\/\/127\.0\.0\.1:9/);
    } finally {
      await target.close();
    }
  });
});
