/**
 * The gate encodes Analyzer requests itself (gate/protobuf.ts) for speed; the pack must
 * receive exactly the bytes the SDK's generated stubs would send.
 */
import { unknown } from '@pulumi/pulumi/output';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { secret, toStruct, UNKNOWN } from '../../gate/encoding';
import { encodeStruct } from '../../gate/protobuf';
import { analyzeRequest, analyzeStackRequest, providerUrn } from '../../gate/requests';
import type { GateResource } from '../../gate/types';
import { resource } from './helpers';

/** The request as the stubs build and serialize it. */
function stubRequest(r: GateResource, byUrn: Map<string, GateResource>): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setType(r.type);
  req.setProperties(toStruct(r.inputs));
  req.setUrn(r.urn);
  req.setName(r.name);
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect ?? false);
  o.setIgnorechangesList(r.options.ignoreChanges ?? []);
  if (r.options.deleteBeforeReplace !== undefined) {
    o.setDeletebeforereplacedefined(true);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  }
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs ?? []);
  o.setAliasesList(r.options.aliases ?? []);
  o.setCustomtimeouts(new pb.AnalyzerResourceOptions.CustomTimeouts());
  if (r.parent) o.setParent(r.parent);
  req.setOptions(o);
  const p = byUrn.get(providerUrn(r.provider) ?? '');
  if (p) {
    const pr = new pb.AnalyzerProviderResource();
    pr.setType(p.type);
    pr.setProperties(toStruct(p.inputs));
    pr.setUrn(p.urn);
    pr.setName(p.name);
    req.setProvider(pr);
  }
  return req;
}

const tricky: Record<string, unknown> = {
  b: 1,
  a: 'x',
  '': '',
  negZero: -0,
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
  lone: '\ud800x\udc00',
  unk: unknown,
  sec: secret({ a: [1, undefined, unknown, { q: 'w' }] }),
  nested: { deep: { list: [[], {}, [null, [1, 2]], 'x'.repeat(300)] } },
  long: 'y'.repeat(70_000),
  date: new Date(0),
  keys: { '10': 1, '2': 2, b: 3, B: 4, é: 5, _: 6 },
  many: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
  sentinel: UNKNOWN,
};

describe('direct protobuf encoding', () => {
  it('writes the same Struct bytes as google-protobuf', () => {
    expect(encodeStruct(tricky)).toEqual(Buffer.from(toStruct(tricky).serializeBinary()));
    expect(encodeStruct({})).toEqual(Buffer.from(toStruct({}).serializeBinary()));
  });

  it('rejects what google-protobuf rejects', () => {
    const hole: unknown[] = [1, 2];
    delete hole[0];
    for (const bad of [{ f: () => 1 }, { hole }, { big: BigInt(1) }]) {
      expect(() => encodeStruct(bad)).toThrow('Unexpected struct type.');
    }
  });

  it('writes the same Analyze and AnalyzeStack requests as the stubs', () => {
    const provider = resource('pulumi:providers:aws', 'default', { region: 'eu-west-1' });
    const resources = [
      provider,
      resource('aws:s3/bucket:Bucket', 'b', tricky, {
        parent: 'urn:pulumi:dev::proj::pulumi:pulumi:Stack::proj-dev',
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
      }),
      resource('aws:s3/bucket:Bucket', 'c', {}, { options: { deleteBeforeReplace: true } }),
      { ...resource('x', 'e'), type: '', name: '' },
    ];
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const stack = new pb.AnalyzeStackRequest();
    for (const r of resources) {
      const req = stubRequest(r, byUrn);
      expect(analyzeRequest(r, byUrn)).toEqual(Buffer.from(req.serializeBinary()));
      const ar = new pb.AnalyzerResource();
      ar.setType(req.getType());
      ar.setProperties(req.getProperties());
      ar.setUrn(req.getUrn());
      ar.setName(req.getName());
      ar.setOptions(req.getOptions());
      ar.setProvider(req.getProvider());
      if (r.parent) ar.setParent(r.parent);
      ar.setDependenciesList(r.dependencies);
      for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        ar.getPropertydependenciesMap().set(k, d);
      }
      stack.addResources(ar);
    }
    expect(analyzeStackRequest(resources, byUrn)).toEqual(Buffer.from(stack.serializeBinary()));
  });
});
