import { NAME_LIMITS } from '../../stack/naming';
import { synthesize, SynthResult } from '../../gate/synth/synthesize';
import { input, isTaggable, ofType } from './helpers';

// The longest suffix the config accepts: every derived name must still fit its AWS limit.
const SUFFIX = 'x'.repeat(47);
let stack: SynthResult;

beforeAll(async () => {
  stack = await synthesize({
    stack: 'longest',
    config: {
      'aws:region': 'us-east-1',
      'transaction-processor:environmentSuffix': SUFFIX,
      'transaction-processor:alertEmail': 'alerts@example.com',
      'transaction-processor:merchants': JSON.stringify(['merchant-a']),
    },
  });
});

/** Physical-name inputs by type, with the AWS limit that applies to each. */
const NAMED_TYPES: Record<string, { key: string; limit: number }> = {
  'aws:s3/bucket:Bucket': { key: 'bucket', limit: NAME_LIMITS.s3 },
  'aws:dynamodb/table:Table': { key: 'name', limit: NAME_LIMITS.dynamodb },
  'aws:sns/topic:Topic': { key: 'name', limit: NAME_LIMITS.sns },
  'aws:sqs/queue:Queue': { key: 'name', limit: NAME_LIMITS.sqs },
  'aws:secretsmanager/secret:Secret': { key: 'name', limit: NAME_LIMITS.secret },
  'aws:lambda/function:Function': { key: 'name', limit: NAME_LIMITS.lambda },
  'aws:iam/role:Role': { key: 'name', limit: NAME_LIMITS.role },
  'aws:iam/rolePolicy:RolePolicy': { key: 'name', limit: NAME_LIMITS.policy },
  'aws:apigateway/restApi:RestApi': { key: 'name', limit: NAME_LIMITS.apigw },
  'aws:apigateway/usagePlan:UsagePlan': { key: 'name', limit: NAME_LIMITS.usageplan },
  'aws:apigateway/apiKey:ApiKey': { key: 'name', limit: NAME_LIMITS.apikey },
  'aws:cloudwatch/logGroup:LogGroup': { key: 'name', limit: NAME_LIMITS.loggroup },
  'aws:cloudwatch/metricAlarm:MetricAlarm': { key: 'name', limit: NAME_LIMITS.alarm },
  'aws:cloudwatch/dashboard:Dashboard': { key: 'dashboardName', limit: NAME_LIMITS.dashboard },
};

describe('naming convention', () => {
  it('names every physical resource {resource-type}-{purpose}-{suffix} within its AWS limit', () => {
    const checked: string[] = [];
    for (const [type, { key, limit }] of Object.entries(NAMED_TYPES)) {
      for (const resource of ofType(stack, type)) {
        const name = input<string>(resource, key);
        const bare = name.replace(/^\/aws\/(lambda|apigateway)\//, '');
        expect(bare).toMatch(new RegExp(`^[a-z0-9]+-[a-z0-9-]+-${SUFFIX}$`));
        expect(name.length).toBeLessThanOrEqual(limit);
        checked.push(name);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(20);
  });

  it('puts function logs in /aws/lambda/<function name>, as Lambda requires', () => {
    const functions = ofType(stack, 'aws:lambda/function:Function').map((f) => input<string>(f, 'name'));
    const groups = ofType(stack, 'aws:cloudwatch/logGroup:LogGroup').map((g) => input<string>(g, 'name'));
    for (const fn of functions) expect(groups).toContain(`/aws/lambda/${fn}`);
  });
});

/** Every taggable AWS type this stack uses; each resource of these types must carry the tags itself. */
const TAGGABLE_TYPES = [
  'aws:s3/bucket:Bucket',
  'aws:dynamodb/table:Table',
  'aws:sns/topic:Topic',
  'aws:sqs/queue:Queue',
  'aws:secretsmanager/secret:Secret',
  'aws:kms/key:Key',
  'aws:lambda/function:Function',
  'aws:lambda/eventSourceMapping:EventSourceMapping',
  'aws:iam/role:Role',
  'aws:cloudwatch/logGroup:LogGroup',
  'aws:cloudwatch/metricAlarm:MetricAlarm',
  'aws:apigateway/restApi:RestApi',
  'aws:apigateway/stage:Stage',
  'aws:apigateway/usagePlan:UsagePlan',
  'aws:apigateway/apiKey:ApiKey',
];

describe('tags and region', () => {
  it('knows every taggable type the stack registers (a new one must be added above)', () => {
    const withTags = stack.resources.filter(isTaggable).map((r) => r.type);
    expect([...new Set(withTags)].sort()).toEqual([...TAGGABLE_TYPES].sort());
  });

  it('tags every taggable resource Environment=production and Project=transaction-processor', () => {
    const taggable = stack.resources.filter((r) => TAGGABLE_TYPES.includes(r.type));
    expect(new Set(taggable.map((r) => r.type))).toEqual(new Set(TAGGABLE_TYPES));
    for (const resource of taggable) {
      expect({ urn: resource.urn, tags: resource.inputs.tags }).toEqual({
        urn: resource.urn,
        tags: expect.objectContaining({ Environment: 'production', Project: 'transaction-processor' }),
      });
    }
  });

  it('deploys through one us-east-1 provider whose default tags carry the same two tags', () => {
    const [provider] = ofType(stack, 'pulumi:providers:aws');
    expect(provider.inputs.region).toBe('us-east-1');
    expect(JSON.parse(String(provider.inputs.defaultTags))).toEqual({
      tags: { Environment: 'production', Project: 'transaction-processor' },
    });
    const aws = stack.resources.filter((r) => r.custom && r.type.startsWith('aws:'));
    for (const r of aws) expect(r.provider?.startsWith(`${provider.urn}::`)).toBe(true);
  });
});

describe('destroyability', () => {
  it('protects and retains nothing', () => {
    for (const resource of stack.resources) {
      expect({
        urn: resource.urn,
        protect: resource.options.protect,
        retain: resource.options.retainOnDelete,
      }).toEqual({ urn: resource.urn, protect: undefined, retain: undefined });
    }
  });
});

/**
 * The roles of the stack. What each may do is proven against the calls the functions make
 * (tests/iam), and SECURITY.md's matrix is generated from the synthesized policies and checked
 * there; no copy of the policies is typed in here.
 */
const ROLES = ['validator', 'anomaly', 'api', 'apigw-logs'];
const s = SUFFIX;

describe('least-privilege IAM', () => {
  it('has exactly the four roles, each with one inline policy and no managed or other policy', () => {
    const roles = ofType(stack, 'aws:iam/role:Role');
    const roleNames = roles.map((r) => input<string>(r, 'name')).sort();
    expect(roleNames).toEqual(ROLES.map((role) => `role-${role}-${s}`).sort());
    for (const role of roles) {
      expect(role.inputs.managedPolicyArns).toBeUndefined();
      expect(role.inputs.inlinePolicies).toBeUndefined();
    }
    const policies = ofType(stack, 'aws:iam/rolePolicy:RolePolicy').map((p) => input<string>(p, 'role'));
    expect(policies.sort()).toEqual(roleNames);
    const otherIam = stack.resources.filter(
      (r) => r.type.startsWith('aws:iam/') && !/:(Role|RolePolicy)$/.test(r.type),
    );
    expect(otherIam.map((r) => r.type)).toEqual([]);
  });

  it('lets only the validator read the card-number key', () => {
    const readers = ofType(stack, 'aws:iam/rolePolicy:RolePolicy').filter((p) =>
      JSON.parse(String(p.inputs.policy)).Statement.some((st: { Action: string[] }) =>
        st.Action.some((a) => a.startsWith('secretsmanager:') || a === '*'),
      ),
    );
    expect(readers.map((p) => p.inputs.role)).toEqual([`role-validator-${s}`]);
  });
});
