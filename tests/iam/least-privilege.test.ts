/**
 * Least privilege, proven by the calls the functions really make: the pipeline runs on the local
 * AWS with every SDK call recorded (tests/iam/scenario.ts); each call is mapped to IAM requests
 * (action-map.ts), joined by what the Lambda service does with each role (lambda-service.ts), and
 * decided by a real IAM evaluator against the synthesized role policies and bucket policy.
 * It fails naming the call when a grant is missing, and naming the grant when one is unused.
 */
import { join, resolve } from 'node:path';
import { CALL_LOG_ENV } from '../../lambda/shared/call-recorder';
import { readLocalDefinitions, type LocalDefinitions } from '../../tools/local/definitions';
import { synthesize } from '../../gate/synth/synthesize';
import { CALL_TO_IAM } from './action-map';
import { UNUSED_BUT_REQUIRED } from './allowlist';
import { clientsOutsideFactories, scanCallSites } from './coverage-scan';
import { decide } from './evaluate';
import { describeGrant, unusedGrants, type Grant } from './grants';
import { lambdaServiceAttempts, type Attempt } from './lambda-service';
import { attemptsOf, refusedAttempts, uniqueAttempts } from './judge';
import { recordScenario, type ScenarioRun } from './scenario';
import { readStackModel, roleOf, type StackModel } from './stack-model';

const ROOT = resolve(__dirname, '..', '..');
let model: StackModel;
let definitions: LocalDefinitions;
let run: ScenarioRun;
let attempts: Attempt[];
let unmapped: string[];

beforeAll(async () => {
  const synth = await synthesize();
  model = readStackModel(synth);
  definitions = readLocalDefinitions(synth);
  run = await recordScenario(definitions, join(ROOT, '.local', 'iam'));
  const recorded = attemptsOf(model, run.calls);
  unmapped = recorded.unmapped;
  attempts = uniqueAttempts([...recorded.attempts, ...lambdaServiceAttempts(model)]);
}, 240_000);

const functionRoles = () => [...new Set(model.functions.map((f) => f.roleName))];

describe('the recording', () => {
  it('comes from a run where every sample behaved as in npm start', () => {
    expect(run.problems).toEqual([]);
  });

  it('holds calls of every function of the stack, each attributed to its own function', () => {
    const principals = new Set(run.calls.map((c) => c.principal));
    expect([...principals].sort()).toEqual(model.functions.map((f) => f.name).sort());
  });

  it('is off on AWS: no deployed function sets the recorder variable', () => {
    for (const fn of Object.values(definitions.functions))
      expect(fn.environment).not.toHaveProperty(CALL_LOG_ENV);
  });

  it('maps every recorded call to IAM actions on resources the stack declares', () => {
    expect(unmapped).toEqual([]);
  });
});

describe('sufficiency', () => {
  it('allows every recorded call and every call the Lambda service makes, under each role', async () => {
    expect(await refusedAttempts(model, attempts)).toEqual([]);
  });
});

describe('minimality', () => {
  let unused: Grant[];
  beforeAll(async () => {
    unused = await unusedGrants(model, functionRoles(), attempts);
  }, 60_000);

  const allowlisted = (g: Grant) =>
    UNUSED_BUT_REQUIRED.some(
      (a) => g.role.startsWith(`role-${a.role}-`) && g.sid === a.sid && g.action === a.action,
    );

  it('exercises every grant of every function role, but for the allowlist', () => {
    expect(unused.filter((g) => !allowlisted(g)).map(describeGrant)).toEqual([]);
  });

  it('keeps no stale allowlist entry: each one is granted and still unexercised', () => {
    const stale = UNUSED_BUT_REQUIRED.filter(
      (a) =>
        !unused.some((g) => g.role.startsWith(`role-${a.role}-`) && g.sid === a.sid && g.action === a.action),
    );
    expect(stale).toEqual([]);
  });
});

describe('coverage of the code', () => {
  const sites = scanCallSites(ROOT);

  it('finds the AWS calls of every function in lambda/**', () => {
    const folders = new Set(sites.map((s) => s.file.split('/')[1]));
    for (const purpose of ['validator', 'anomaly', 'api']) expect(folders).toContain(purpose);
  });

  it('builds every SDK client through lambda/shared/clients.ts, whose clients record their calls', () => {
    expect(clientsOutsideFactories(ROOT)).toEqual([]);
  });

  it('maps every call site in lambda/** and records it from the function that owns the file', () => {
    const missing: string[] = [];
    for (const site of sites) {
      if (!CALL_TO_IAM[site.call]) missing.push(`${site.file}: ${site.call} has no row in CALL_TO_IAM`);
      const purpose = site.file.split('/')[1] as keyof LocalDefinitions['functions'];
      const owner = definitions.functions[purpose]?.name;
      const recorded = run.calls.some(
        (c) => `${c.service}:${c.operation}` === site.call && (owner === undefined || c.principal === owner),
      );
      if (!recorded)
        missing.push(`${site.file}: ${site.call} was never recorded${owner ? ` from ${owner}` : ''}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('probes outside the grants are denied (the evaluator is not a yes-machine)', () => {
  const bucket = () => definitions.bucket.name;
  const fn = (purpose: 'validator' | 'anomaly' | 'api') => definitions.functions[purpose].name;
  const probe = async (
    purpose: 'validator' | 'anomaly' | 'api',
    action: string,
    resource: string,
    context = {},
  ) => {
    const functionName = fn(purpose);
    const role = roleOf(model, functionName).name;
    const resourcePolicy = resource.startsWith('arn:aws:s3:::') ? model.buckets.get(bucket()) : undefined;
    return decide(model, { role, functionName }, { action, resource, context, resourcePolicy });
  };

  it.each([
    ['api', 's3:GetObject', 'uploads/merchant-a/up-1.csv', 'the API never reads uploads (full card numbers)'],
    ['api', 's3:PutObject', 'reports/merchant-a/up-1.json', 'the API never writes reports'],
    ['validator', 's3:GetObject', 'uploads/merchant-a/up-1.csv', 'the validator reads by version only'],
    ['validator', 's3:PutObject', 'uploads/merchant-a/up-1.csv', 'the validator never rewrites an upload'],
    ['validator', 's3:AbortMultipartUpload', 'uploads/merchant-a/up-1.csv', 'it aborts rejects files only'],
    ['validator', 's3:AbortMultipartUpload', 'reports/merchant-a/up-1.json', 'it aborts rejects files only'],
    ['anomaly', 's3:GetObject', 'reports/merchant-a/up-1.json', 'the detector reads no object'],
  ] as const)('%s: %s on %s (%s)', async (purpose, action, key, _why) => {
    expect(await probe(purpose, action, `arn:aws:s3:::${bucket()}/${key}`)).toBe('ImplicitlyDenied');
  });

  it('the API may list only under uploads/ and reports/', async () => {
    const list = (prefix: string) =>
      probe('api', 's3:ListBucket', `arn:aws:s3:::${bucket()}`, { 's3:prefix': prefix });
    expect(await list('reports/merchant-a/')).toBe('Allowed');
    expect(await list('')).toBe('ImplicitlyDenied');
    expect(await list('other/')).toBe('ImplicitlyDenied');
  });

  it('the bucket policy denies a request without TLS, whatever the role grants', async () => {
    const key = `arn:aws:s3:::${bucket()}/reports/merchant-a/up-1.json`;
    expect(await probe('api', 's3:GetObject', key)).toBe('Allowed');
    expect(await probe('api', 's3:GetObject', key, { 'aws:SecureTransport': 'false' })).toBe(
      'ExplicitlyDenied',
    );
  });

  it('no role reads, writes or deletes the access logs of the uploads bucket', async () => {
    const logBuckets = [...model.buckets.keys()].filter((b) => b !== bucket());
    expect(logBuckets).toEqual([expect.stringMatching(/^s3-access-logs-/)]);
    const [logs] = logBuckets;
    const object = `arn:aws:s3:::${logs}/${bucket()}/123456789012/us-east-1/${bucket()}/2026/01/01/log`;
    for (const purpose of ['validator', 'anomaly', 'api'] as const)
      for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
        const functionName = fn(purpose);
        const role = roleOf(model, functionName).name;
        const resourcePolicy = model.buckets.get(logs);
        expect(
          await decide(
            model,
            { role, functionName },
            { action, resource: object, context: {}, resourcePolicy },
          ),
        ).toBe('ImplicitlyDenied');
      }
  });

  it('the key policy lets only the validator decrypt the card-hash key, and only through Secrets Manager', async () => {
    const secretName = definitions.secret.name;
    const keyArn = model.secrets.get(secretName)?.kmsKeyId;
    expect(keyArn).toMatch(/^arn:aws:kms:us-east-1:\d{12}:key\//);
    const viaSecretsManager = { 'kms:ViaService': `secretsmanager.${model.region}.amazonaws.com` };
    const onKey = (purpose: 'validator' | 'anomaly' | 'api', action: string, context: object) => {
      const functionName = fn(purpose);
      const role = roleOf(model, functionName).name;
      const resourcePolicy = model.keys.get(keyArn!);
      return decide(
        model,
        { role, functionName },
        { action, resource: keyArn!, context: { ...context }, resourcePolicy },
      );
    };
    // The role's own policy holds no kms statement: the key policy alone grants it.
    expect(JSON.stringify(roleOf(model, fn('validator')).policy)).not.toContain('kms:');
    expect(await onKey('validator', 'kms:Decrypt', viaSecretsManager)).toBe('Allowed');
    expect(await onKey('validator', 'kms:Decrypt', {})).toBe('ImplicitlyDenied');
    expect(await onKey('validator', 'kms:Decrypt', { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' })).toBe(
      'ImplicitlyDenied',
    );
    expect(await onKey('validator', 'kms:GenerateDataKey', viaSecretsManager)).toBe('ImplicitlyDenied');
    expect(await onKey('api', 'kms:Decrypt', viaSecretsManager)).toBe('ImplicitlyDenied');
    expect(await onKey('anomaly', 'kms:Decrypt', viaSecretsManager)).toBe('ImplicitlyDenied');
  });

  it('no role but the validator reads the card-hash key, and no role changes a stored transaction', async () => {
    const table = model.tables.get(definitions.table.name)!;
    const secret = `arn:aws:secretsmanager:${model.region}:${model.accountId}:secret:${definitions.secret.name}-Ab12Cd`;
    expect(await probe('api', 'secretsmanager:GetSecretValue', secret)).toBe('ImplicitlyDenied');
    expect(await probe('anomaly', 'secretsmanager:GetSecretValue', secret)).toBe('ImplicitlyDenied');
    for (const purpose of ['validator', 'anomaly', 'api'] as const)
      for (const action of [
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:PartiQLUpdate',
        'dynamodb:DeleteItem',
      ])
        expect(await probe(purpose, action, table)).toBe('ImplicitlyDenied');
  });
});
