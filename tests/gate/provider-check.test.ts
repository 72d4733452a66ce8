/**
 * The inputs the engine analyzes come after the provider's Check: for AWS resources with an
 * output-only `tagsAll`, the provider's `defaultTags` merged with the resource's `tags`.
 */
import { UNKNOWN, secret } from '../../gate/encoding';
import { loadInput } from '../../gate/inputs';
import { applyProviderCheck, checkAddsTagsAll, hasTagsAll, tagsAll } from '../../gate/provider-check';
import { REPO_ROOT, resource } from './helpers';

const QUEUE = 'aws:sqs/queue:Queue';
const PROVIDER_URN = 'urn:pulumi:dev::proj::pulumi:providers:aws::east';

describe('tagsAll, as the AWS provider computes it at Check', () => {
  it('merges default tags under the resource tags, less ignored keys and prefixes', () => {
    const meta = {
      defaultTags: JSON.stringify({ tags: { Owner: 'platform', Env: 'prod', 'aws-x': '1' } }),
      ignoreTags: JSON.stringify({ keys: ['Skip'], keyPrefixes: ['aws-'] }),
    };
    expect(tagsAll({ Owner: 'payments', Skip: 'y', Name: 'q' }, meta)).toEqual({
      Owner: 'payments',
      Env: 'prod',
      Name: 'q',
    });
    expect(tagsAll(undefined, {})).toEqual({});
    expect(tagsAll({ Name: UNKNOWN }, meta)).toBe(UNKNOWN);
    expect(tagsAll({ Name: 'q' }, { defaultTags: UNKNOWN })).toBe(UNKNOWN);
    expect(tagsAll(secret({ Name: 'q' }), {})).toEqual(secret({ Name: 'q' }));
  });

  it('applies to the types whose SDK class has an output-only tagsAll', () => {
    expect(hasTagsAll(QUEUE, REPO_ROOT)).toBe(true);
    expect(hasTagsAll('aws:s3/bucketPolicy:BucketPolicy', REPO_ROOT)).toBe(false);
    expect(hasTagsAll('aws:nosuch/thing:Thing', REPO_ROOT)).toBe(false);
    expect(hasTagsAll('random:index/randomPassword:RandomPassword', REPO_ROOT)).toBe(false);
  });

  it('is added for SDKv2 resources only: plugin-framework ones compute it after the analyzer', () => {
    // Served by the plugin framework in pulumi-aws's mux table, with no timeouts input to tell.
    const ingressRule = 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule';
    // Not in that (older) table; its `timeouts` input marks it plugin-framework.
    const routeServer = 'aws:vpc/routeServer:RouteServer';
    for (const type of [ingressRule, routeServer]) {
      expect(hasTagsAll(type, REPO_ROOT)).toBe(true);
      expect(checkAddsTagsAll(type, REPO_ROOT)).toBe(false);
    }
    const [rule, server, queue] = applyProviderCheck(
      [
        resource(ingressRule, 'in', { tags: { Name: 'in' } }),
        resource(routeServer, 'rs', {}),
        resource(QUEUE, 'q', {}),
      ],
      { defaultTags: JSON.stringify({ tags: { Team: 'default' } }) },
      REPO_ROOT,
    );
    expect(rule.inputs).not.toHaveProperty('tagsAll');
    expect(server.inputs).not.toHaveProperty('tagsAll');
    expect(queue.inputs.tagsAll).toEqual({ Team: 'default' });
  });

  it('is added for every tagged type the stack uses, all of them SDKv2', async () => {
    const input = await loadInput({ stack: 'dev' });
    const tagged = [...new Set(input.resources.map((r) => r.type))].filter((t) => hasTagsAll(t, REPO_ROOT));
    expect(tagged.length).toBeGreaterThan(10);
    expect(tagged.filter((t) => !checkAddsTagsAll(t, REPO_ROOT))).toEqual([]);
  }, 120_000);

  it("uses the resource's provider, or the default provider's stack config", () => {
    const provider = resource('pulumi:providers:aws', 'east', {
      defaultTags: JSON.stringify({ tags: { Team: 'east' } }),
    });
    const explicit = resource(QUEUE, 'a', { tags: { Name: 'a' } }, { provider: `${PROVIDER_URN}::id-1` });
    const implicit = resource(QUEUE, 'b', {});
    const policy = resource('aws:s3/bucketPolicy:BucketPolicy', 'p', { policy: '{}' });
    const [, a, b, p] = applyProviderCheck(
      [provider, explicit, implicit, policy],
      { defaultTags: JSON.stringify({ tags: { Team: 'default' } }) },
      REPO_ROOT,
    );
    expect(a.inputs.tagsAll).toEqual({ Team: 'east', Name: 'a' });
    expect(b.inputs.tagsAll).toEqual({ Team: 'default' });
    expect(p.inputs).not.toHaveProperty('tagsAll');
  });

  it("gives every taggable resource of the real stack its provider's default tags", async () => {
    const input = await loadInput({ stack: 'dev' });
    const taggable = input.resources.filter((r) => hasTagsAll(r.type, REPO_ROOT));
    expect(taggable.length).toBeGreaterThan(10);
    for (const r of taggable) {
      expect({ name: r.name, tagsAll: r.inputs.tagsAll }).toEqual({
        name: r.name,
        tagsAll: expect.objectContaining({ Environment: 'production', Project: 'transaction-processor' }),
      });
    }
  }, 120_000);
});
