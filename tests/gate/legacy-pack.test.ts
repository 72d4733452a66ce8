/**
 * A pack served by an SDK older than policy config and ConfigureStack: the CLI skips Configure,
 * accepts UNIMPLEMENTED for ConfigureStack, and refuses a config file for it. So does the gate.
 */
import * as path from 'node:path';
import { runGate } from '../../gate/index';
import { fixtureInput, resource } from './helpers';

const PACK = path.join(__dirname, 'fixtures', 'legacy-pack');

describe('a pack without config support or ConfigureStack', () => {
  const input = fixtureInput([resource('aws:sqs/queue:Queue', 'q', { name: 'q' })]);

  it('is analyzed like any pack', async () => {
    const r = await runGate({ input, packDir: PACK, outDir: null });
    expect(r.exitCode).toBe(0);
    expect(r.violations.map((v) => v.message)).toEqual(['seen proj-dev', 'seen q']);
  });

  it('refuses a policy config, in the CLI words', async () => {
    await expect(
      runGate({
        input,
        packDir: PACK,
        outDir: null,
        policyConfigValues: { seen: { enforcementLevel: 'mandatory' } },
      }),
    ).rejects.toThrow(/^policy pack "gate-legacy-pack" at ".*legacy-pack" does not support config$/);
  });
});
