/**
 * A structural check of SARIF 2.1.0 logs: the required properties and enumerations that the
 * OASIS schema (sarif-schema-2.1.0.json) imposes on the objects the gate writes. No installed
 * npm package ships the official schema, so this is a hand-written subset, checked with ajv; it
 * does not cover every constraint of the full schema.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
import Ajv from 'ajv';

const message = {
  type: 'object',
  anyOf: [{ required: ['text'] }, { required: ['id'] }],
  properties: { text: { type: 'string' }, markdown: { type: 'string' }, id: { type: 'string' } },
};
const multiformatMessage = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
const level = { enum: ['none', 'note', 'warning', 'error'] };

const schema = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object',
                      required: ['id'],
                      properties: {
                        id: { type: 'string' },
                        shortDescription: multiformatMessage,
                        fullDescription: multiformatMessage,
                        help: multiformatMessage,
                        helpUri: { type: 'string' },
                        defaultConfiguration: {
                          type: 'object',
                          properties: { level, enabled: { type: 'boolean' }, rank: { type: 'number' } },
                        },
                        properties: { type: 'object' },
                      },
                    },
                  },
                },
              },
            },
          },
          invocations: {
            type: 'array',
            items: {
              type: 'object',
              required: ['executionSuccessful'],
              properties: { executionSuccessful: { type: 'boolean' }, exitCode: { type: 'integer' } },
            },
          },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: -1 },
                kind: { enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
                level,
                message,
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      logicalLocations: {
                        type: 'array',
                        minItems: 1,
                        items: {
                          type: 'object',
                          properties: {
                            name: { type: 'string' },
                            fullyQualifiedName: { type: 'string' },
                            kind: { type: 'string' },
                          },
                        },
                      },
                    },
                  },
                },
                properties: { type: 'object' },
              },
              // §3.27.9: a result whose kind is not "fail" has level "none".
              if: { required: ['kind'], properties: { kind: { not: { const: 'fail' } } } },
              then: { properties: { level: { const: 'none' } } },
            },
          },
          properties: { type: 'object' },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

/** Returns the list of structural errors (empty when the log is well-formed). */
export function sarifErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}
