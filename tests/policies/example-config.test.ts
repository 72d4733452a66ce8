/** policies/config.example.json (the README's --policy-pack-config example) is valid for the pack. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { catalog } from '../../policies/catalog';

const LEVELS = ['advisory', 'mandatory', 'remediate', 'disabled'];
const example = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../policies/config.example.json'), 'utf8'),
) as Record<string, unknown>;

describe('the example policy pack config', () => {
  it.each(Object.entries(example))('configures %s with values its schema accepts', (id, value) => {
    const packPolicy = catalog.find((p) => p.metadata.id === id);
    expect(packPolicy).toBeDefined();
    if (typeof value === 'string') {
      expect(LEVELS).toContain(value);
      return;
    }
    // As the engine does: the policy's schema plus an injected enforcementLevel.
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...(packPolicy!.policy.configSchema?.properties ?? {}),
        enforcementLevel: { type: 'string', enum: LEVELS },
      },
    };
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  });

  it('is refused by the schema when a key is misspelled', () => {
    const schema = catalog.find((p) => p.metadata.id === 'log-group-retention')!.policy.configSchema!;
    const validate = new Ajv({ strict: false }).compile({
      type: 'object',
      additionalProperties: false,
      properties: schema.properties,
    });
    expect(validate({ retentionDay: 7 })).toBe(false);
    expect(validate({ retentionDays: 8 })).toBe(false); // not a value CloudWatch Logs accepts
  });
});
