/**
 * The Analyzer requests the gate builds (gate/requests.ts) carry what the engine sends: read back
 * from their bytes, as the pack reads them, every field is there.
 */
import { unknown } from '@pulumi/pulumi/output';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { secret, toWire, UNKNOWN } from '../../gate/encoding';
import { analyzeRequest, analyzeStackRequest, providerUrn } from '../../gate/requests';
import { resource, STACK_URN } from './helpers';

const tricky: Record<string, unknown> = {
  b: 1,
  a: 'x',
  '': '',
  n: null,
  u: undefined,
  __internal: 5,
  t: true,
  f: false,
  tiny: 5e-324,
  huge: 1e300,
  nan: NaN,
  inf: -Infinity,
  text: 'héllo ✓ 日本 😀',
  unk: unknown,
  sec: secret({ a: [1, undefined, unknown, { q: 'w' }] }),
  nested: { deep: { list: [[], {}, [null, [1, 2]], 'x'.repeat(300)] } },
  long: 'y'.repeat(70_000),
  keys: { '10': 1, '2': 2, b: 3, B: 4, é: 5, _: 6 },
  sentinel: UNKNOWN,
};

const provider = resource('pulumi:providers:aws', 'default', { region: 'eu-west-1' });
const bucket = resource('aws:s3/bucket:Bucket', 'b', tricky, {
  parent: STACK_URN,
  provider: `${provider.urn}::id-1`,
  dependencies: ['a', '', 'b'],
  propertyDependencies: { z: ['1'], a: [], m: ['x', 'y'] },
  options: {
    protect: true,
    ignoreChanges: ['a', ''],
    deleteBeforeReplace: false,
    additionalSecretOutputs: ['s'],
    aliases: ['al'],
  },
});
const plain = resource('aws:s3/bucket:Bucket', 'c', {}, { options: { deleteBeforeReplace: true } });
const resources = [provider, bucket, plain];
const byUrn = new Map(resources.map((r) => [r.urn, r]));

/** The fields of a request's resource (AnalyzeRequest and AnalyzerResource share them). */
function fields(r: pb.AnalyzeRequest | pb.AnalyzerResource) {
  const o = r.getOptions()!;
  const p = r.getProvider();
  return {
    type: r.getType(),
    properties: r.getProperties()?.toJavaScript(),
    urn: r.getUrn(),
    name: r.getName(),
    options: {
      protect: o.getProtect(),
      ignoreChanges: o.getIgnorechangesList(),
      deleteBeforeReplace: o.getDeletebeforereplace(),
      deleteBeforeReplaceDefined: o.getDeletebeforereplacedefined(),
      additionalSecretOutputs: o.getAdditionalsecretoutputsList(),
      aliases: o.getAliasesList(),
      customTimeouts: o.hasCustomtimeouts(),
      parent: o.getParent(),
    },
    provider: p && {
      type: p.getType(),
      properties: p.getProperties()?.toJavaScript(),
      urn: p.getUrn(),
      name: p.getName(),
    },
  };
}

const bucketFields = {
  type: 'aws:s3/bucket:Bucket',
  properties: toWire(tricky),
  urn: bucket.urn,
  name: 'b',
  options: {
    protect: true,
    ignoreChanges: ['a', ''],
    deleteBeforeReplace: false,
    deleteBeforeReplaceDefined: true,
    additionalSecretOutputs: ['s'],
    aliases: ['al'],
    customTimeouts: true,
    parent: STACK_URN,
  },
  provider: {
    type: 'pulumi:providers:aws',
    properties: { region: 'eu-west-1' },
    urn: provider.urn,
    name: 'default',
  },
};

describe('Analyzer requests', () => {
  it('carry the resource, its wire-encoded properties, options and provider', () => {
    const sent = pb.AnalyzeRequest.deserializeBinary(analyzeRequest(bucket, byUrn).serializeBinary());
    expect(fields(sent)).toEqual(bucketFields);
    const other = pb.AnalyzeRequest.deserializeBinary(analyzeRequest(plain, byUrn).serializeBinary());
    expect(fields(other).options).toMatchObject({
      deleteBeforeReplace: true,
      deleteBeforeReplaceDefined: true,
    });
    expect(fields(other).provider).toBeUndefined();
  });

  it('carry remediated properties in place of the inputs', () => {
    const sent = analyzeRequest(bucket, byUrn, { fixed: true });
    expect(sent.getProperties()?.toJavaScript()).toEqual({ fixed: true });
  });

  it('send the whole stack with parents, dependencies and property dependencies', () => {
    const sent = pb.AnalyzeStackRequest.deserializeBinary(
      analyzeStackRequest(resources, byUrn).serializeBinary(),
    );
    const list = sent.getResourcesList();
    expect(list.map((r) => r.getUrn())).toEqual(resources.map((r) => r.urn));
    expect(fields(list[1])).toEqual(bucketFields);
    expect(list[1].getParent()).toBe(STACK_URN);
    expect(list[1].getDependenciesList()).toEqual(['a', '', 'b']);
    const deps: Record<string, string[]> = {};
    list[1].getPropertydependenciesMap().forEach((d, k) => (deps[k] = d.getUrnsList()));
    expect(deps).toEqual({ a: [], m: ['x', 'y'], z: ['1'] });
  });

  it('refuse a value the protobuf Struct cannot carry', () => {
    for (const bad of [{ f: () => 1 }, { big: BigInt(1) }]) {
      expect(() => analyzeRequest(resource('x', 'y', bad), byUrn)).toThrow('Unexpected struct type.');
    }
  });

  it('take the provider URN from a provider reference', () => {
    expect(providerUrn(`${provider.urn}::id-1`)).toBe(provider.urn);
    expect(providerUrn(undefined)).toBeUndefined();
  });
});
