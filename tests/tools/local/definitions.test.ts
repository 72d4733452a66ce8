import { KEYS, STATE_TABLE_KEY, TABLE_KEY } from '../../../lambda/shared/contract';
import { bundleFunction } from '../../../stack/lambda-bundle';
import {
  readLocalDefinitions,
  StackDefinitionError,
  type LocalDefinitions,
} from '../../../tools/local/definitions';
import { readStackConfig } from '../../../gate/synth/stack-config';
import { synthesize, type SynthResult } from '../../../gate/synth/synthesize';

let synth: SynthResult;
let definitions: LocalDefinitions;
const inputsOf = (type: string) => synth.resources.find((r) => r.type === type)!.inputs;

beforeAll(async () => {
  synth = await synthesize();
  definitions = readLocalDefinitions(synth);
}, 120_000);

describe('the local definitions, read from the synthesized stack', () => {
  test('the table has the contract keys and the stack stream view type', () => {
    expect(definitions.table).toMatchObject({ partitionKey: TABLE_KEY.partition, sortKey: TABLE_KEY.sort });
    const streamed = synth.resources.find(
      (r) => r.type === 'aws:dynamodb/table:Table' && r.inputs.streamEnabled,
    );
    expect(definitions.table.streamViewType).toBe(streamed!.inputs.streamViewType);
  });

  test("the anomaly function's state table, with its key and TTL attribute", () => {
    expect(definitions.stateTable).toEqual({
      name: definitions.functions.anomaly.environment.STATE_TABLE_NAME,
      partitionKey: STATE_TABLE_KEY.partition,
      ttlAttribute: STATE_TABLE_KEY.ttl,
    });
  });

  test('the bucket notifies the validator for uploads/**.csv only', () => {
    expect(definitions.bucket.notifications).toEqual([
      expect.objectContaining({
        functionName: definitions.functions.validator.name,
        prefix: KEYS.uploadsPrefix,
        suffix: KEYS.uploadsSuffix,
      }),
    ]);
  });

  test('each function runs the very bundle that would be deployed', () => {
    for (const purpose of ['validator', 'anomaly', 'api'] as const) {
      expect(definitions.functions[purpose].code).toBe(bundleFunction(purpose).code);
    }
  });

  test('the stream mapping keeps the stack settings', () => {
    const esm = inputsOf('aws:lambda/eventSourceMapping:EventSourceMapping');
    expect(definitions.streamMapping).toMatchObject({
      functionName: definitions.functions.anomaly.name,
      batchSize: esm.batchSize,
      batchingWindowSeconds: esm.maximumBatchingWindowInSeconds,
      bisectOnError: esm.bisectBatchOnFunctionError,
      maximumRetryAttempts: esm.maximumRetryAttempts,
      reportBatchItemFailures: true,
    });
  });

  test('the API has both routes behind a key, and one key per configured merchant', () => {
    expect(definitions.api.routes).toEqual(
      expect.arrayContaining([
        { method: 'POST', resourcePath: '/upload', apiKeyRequired: true },
        { method: 'GET', resourcePath: '/status/{transaction_id}', apiKeyRequired: true },
      ]),
    );
    const merchants = JSON.parse(readStackConfig('dev')['transaction-processor:merchants']) as string[];
    expect(definitions.api.keys.map((k) => k.merchantId).sort()).toEqual([...merchants].sort());
  });

  test('a stack without the table is refused with the missing resource named', () => {
    const withoutTable = {
      ...synth,
      resources: synth.resources.filter((r) => r.type !== 'aws:dynamodb/table:Table'),
    };
    expect(() => readLocalDefinitions(withoutTable)).toThrow(StackDefinitionError);
    expect(() => readLocalDefinitions(withoutTable)).toThrow(/0 streamed tables/);
  });
});
