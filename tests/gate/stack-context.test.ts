/**
 * What a pack learns about its stack, as under `pulumi preview --policy-pack`: ConfigureStack
 * (organization, project, stack, config with its secret keys, tags, dry run) and the environment
 * the Node.js language host starts the pack with. The context pack reads them the way a pack
 * does (`pulumi.getStack()`, `new pulumi.Config('aws').get('region')`, `args.stackTags`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runGate } from '../../gate/index';
import { configureStackRequest } from '../../gate/requests';
import { packEnvironment, programStackContext, UNDECRYPTED_SECRET } from '../../gate/stack-context';
import { tempDir } from './helpers';

const CONTEXT_PACK = path.join(__dirname, 'fixtures', 'context-pack');
const V3_STATE = path.join(__dirname, 'fixtures', 'states', 'v3.json');

describe('the stack context a pack is given', () => {
  const root = tempDir('gate-context-');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(root, 'Pulumi.yaml'),
    [
      'name: shop',
      'description: A shop.',
      'runtime:',
      '  name: nodejs',
      'config:',
      '  aws:region: eu-west-1',
      '  limit: { type: integer, default: 5 }',
      '  owner: { type: string }',
      '  name: { type: string, default: from-project }',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(root, 'Pulumi.prod.yaml'),
    [
      'config:',
      '  shop:name: from-stack',
      '  shop:owner: payments',
      '  shop:token: { secure: v1:AAAA }',
      '  shop:merchants: [a, b]',
      '  pulumi:tags: { team: payments }',
    ].join('\n'),
  );

  it('merges the stack file over the project config, keeps secrets secret, and derives the tags', () => {
    const ctx = programStackContext('prod', { dryRun: true, root });
    expect(ctx).toEqual({
      organization: 'organization',
      project: 'shop',
      stack: 'prod',
      config: {
        'shop:name': 'from-stack',
        'shop:owner': 'payments',
        'shop:token': UNDECRYPTED_SECRET,
        'shop:merchants': '["a","b"]',
        'pulumi:tags': '{"team":"payments"}',
        'aws:region': 'eu-west-1',
        'shop:limit': '5',
      },
      secretKeys: ['shop:token'],
      tags: {
        'pulumi:project': 'shop',
        'pulumi:runtime': 'nodejs',
        'pulumi:description': 'A shop.',
        team: 'payments',
      },
      dryRun: true,
    });
    expect(packEnvironment(ctx)).toEqual({
      PULUMI_NODEJS_ORGANIZATION: 'organization',
      PULUMI_NODEJS_PROJECT: 'shop',
      PULUMI_NODEJS_STACK: 'prod',
      PULUMI_NODEJS_DRY_RUN: 'true',
      PULUMI_CONFIG: JSON.stringify(ctx.config),
    });
    const req = configureStackRequest({ ...ctx, organization: 'acme' });
    expect(req.toObject()).toMatchObject({
      organization: 'acme',
      project: 'shop',
      stack: 'prod',
      dryRun: true,
      configSecretKeysList: ['shop:token'],
    });
    expect(req.getConfigMap().get('shop:token')).toBe(UNDECRYPTED_SECRET);
    expect(req.getTagsMap().get('team')).toBe('payments');
  });

  it('says, in the CLI words, when the stack lacks a value for a project key that has no default', () => {
    fs.writeFileSync(path.join(root, 'Pulumi.qa.yaml'), 'config:\n  aws:region: us-east-1\n');
    expect(programStackContext('qa', { dryRun: true, root }).missingConfig).toBe(
      "Stack 'qa' is missing configuration value 'owner' (Pulumi.yaml declares it without a default): pulumi preview refuses this stack before any policy runs, and so does the gate",
    );
    expect(programStackContext('prod', { dryRun: true, root }).missingConfig).toBeUndefined();
    fs.rmSync(path.join(root, 'Pulumi.qa.yaml'));
  });

  it('refuses a missing stack file, naming it', () => {
    expect(() => programStackContext('qa', { dryRun: true, root })).toThrow(/No stack file Pulumi\.qa\.yaml/);
  });

  /** The one advisory diagnostic the context pack reports: what it saw, as JSON. */
  async function seenBy(options: Parameters<typeof runGate>[0]): Promise<Record<string, unknown>> {
    const r = await runGate({ packDir: CONTEXT_PACK, outDir: null, ...options });
    expect(r.violations.filter((v) => v.enforcementLevel === 'mandatory')).toEqual([]);
    expect(r.exitCode).toBe(0);
    const echo = r.violations.filter((v) => v.policyName === 'echo-context');
    expect(echo).toHaveLength(1);
    // The engine's message is the policy's description, then what it reported.
    return JSON.parse(echo[0].message.slice(echo[0].message.indexOf('{'))) as Record<string, unknown>;
  }

  it("shows a pack reading them the real stack's organization, project, stack, config and tags", async () => {
    expect(await seenBy({ stack: 'dev' })).toEqual({
      organization: 'organization',
      project: 'transaction-processor',
      stack: 'dev',
      dryRun: true,
      region: 'us-east-1',
      suffix: 'dev',
      projectTag: 'transaction-processor',
    });
  }, 120_000);

  it('names the audited stack in a state audit, which is not a dry run', async () => {
    expect(await seenBy({ state: V3_STATE, organization: 'acme' })).toEqual({
      organization: 'acme',
      project: 'proj',
      stack: 'dev',
      dryRun: false,
      region: null,
      suffix: null,
      projectTag: null,
    });
  });
});
