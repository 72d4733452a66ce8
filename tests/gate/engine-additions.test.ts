/**
 * What the engine adds to a program's registrations before analyzers see them: default providers,
 * provider versions, alias URNs and custom timeouts in seconds.
 */
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { addDefaultProviders, defaultProviderName } from '../../gate/default-providers';
import { UNKNOWN } from '../../gate/encoding';
import { analyzeRequest } from '../../gate/requests';
import { parseState, toStateDocument } from '../../gate/state';
import {
  aliasUrns,
  customTimeouts,
  durationSeconds,
  type AliasMessage,
} from '../../gate/synth/register-options';
import { fixtureInput, resource, STACK_URN } from './helpers';

const ctx = {
  stack: 'dev',
  project: 'proj',
  config: { 'random:seed': '7', 'aws:region': 'x' },
  preview: true,
};

describe('default providers, as the engine registers them', () => {
  it('names them after the version the SDK asks for', () => {
    expect(defaultProviderName('4.21.2')).toBe('default_4_21_2');
    expect(defaultProviderName('1.0.0-alpha.1+build.5')).toBe('default_1_0_0_alpha_1_build_5');
    expect(defaultProviderName(undefined)).toBe('default');
  });

  it("adds one per package and version before its first user, with the package's config", () => {
    const a = resource('random:index/randomPassword:RandomPassword', 'a', {}, { parent: STACK_URN });
    const b = resource('random:index/randomPet:RandomPet', 'b');
    const aws = resource('pulumi:providers:aws', 'east', { region: 'us-east-1' });
    const q = resource('aws:sqs/queue:Queue', 'q', {}, { provider: `${aws.urn}::id` });
    const versions = new Map([
      [a.urn, '4.21.2'],
      [b.urn, '4.21.2'],
      [aws.urn, '7.48.0'],
    ]);
    const out = addDefaultProviders([aws, q, a, b], versions, ctx);
    const providerUrn = 'urn:pulumi:dev::proj::pulumi:providers:random::default_4_21_2';
    expect(out.map((r) => r.name)).toEqual(['east', 'q', 'default_4_21_2', 'a', 'b']);
    expect(out[0].inputs).toEqual({ region: 'us-east-1', version: '7.48.0' });
    expect(out[2]).toMatchObject({
      urn: providerUrn,
      inputs: { seed: '7', version: '4.21.2' },
    });
    expect(out[2].parent).toBeUndefined();
    expect(out[3].provider).toBe(`${providerUrn}::${UNKNOWN}`);
    expect(out[1]).toBe(q);
    expect(addDefaultProviders([a], versions, { ...ctx, preview: false })[1].provider).toBe(
      `${providerUrn}::default_4_21_2-id`,
    );
  });
});

describe('resource options in the form the engine stores them', () => {
  const spec = (
    s: Partial<Record<'name' | 'type' | 'stack' | 'project' | 'parentUrn', string>>,
    noParent = false,
  ) =>
    ({
      getUrn: () => '',
      getSpec: () => ({
        getName: () => s.name ?? '',
        getType: () => s.type ?? '',
        getStack: () => s.stack ?? '',
        getProject: () => s.project ?? '',
        getParenturn: () => s.parentUrn ?? '',
        getNoparent: () => noParent,
      }),
    }) as AliasMessage;

  it('resolves alias specs to URNs with the resource as the default', () => {
    const parent = 'urn:pulumi:dev::proj::proj:Comp::c';
    const r = { name: 'q', type: 'aws:sqs/queue:Queue', parent };
    expect(
      aliasUrns(
        [
          { getUrn: () => 'urn:pulumi:dev::proj::x:y:Z::given', getSpec: () => undefined },
          spec({ name: 'old' }),
          spec({}, true),
          spec({ stack: 'prod', parentUrn: STACK_URN }),
        ],
        r,
        'dev',
        'proj',
      ),
    ).toEqual([
      'urn:pulumi:dev::proj::x:y:Z::given',
      'urn:pulumi:dev::proj::proj:Comp$aws:sqs/queue:Queue::old',
      'urn:pulumi:dev::proj::aws:sqs/queue:Queue::q',
      'urn:pulumi:prod::proj::aws:sqs/queue:Queue::q',
    ]);
  });

  it('reads custom timeouts as Go durations, in seconds', () => {
    expect(durationSeconds('1h30m')).toBe(5400);
    expect(durationSeconds('90s')).toBe(90);
    expect(durationSeconds('')).toBe(0);
    expect(() => durationSeconds('5 minutes')).toThrow(/invalid custom timeout "5 minutes"/);
    expect(customTimeouts({ getCreate: () => '5m', getUpdate: () => '', getDelete: () => '1h' })).toEqual({
      create: 300,
      delete: 3600,
    });
  });

  it('sends them to the analyzer and keeps them through a state file', () => {
    const options = {
      aliases: ['urn:pulumi:dev::proj::aws:sqs/queue:Queue::old'],
      additionalSecretOutputs: ['url'],
      customTimeouts: { create: 300 },
    };
    const q = resource('aws:sqs/queue:Queue', 'q', {}, { options });
    const sent = analyzeRequest(q, new Map()).getOptions() as pb.AnalyzerResourceOptions;
    expect(sent.getAliasesList()).toEqual(options.aliases);
    expect(sent.getAdditionalsecretoutputsList()).toEqual(['url']);
    expect(sent.getCustomtimeouts()?.toObject()).toMatchObject({ create: 300, update: 0, pb_delete: 0 });
    const back = parseState(JSON.parse(JSON.stringify(toStateDocument(fixtureInput([q])))), 'x');
    expect(back.resources[1].options).toMatchObject(options);
  });
});
