/**
 * What the least-privilege proof needs from the synthesized stack, read from it and never typed
 * in: each function's role and inline policy, the resources calls may name (tables, buckets with
 * their policy, secrets, topics, queues, KMS keys with their key policy), and what the Lambda
 * service does on each role's behalf (stream mappings, on-failure destinations, logs, tracing).
 * A new table, queue or statement in the program appears here without a change.
 */
import type { SynthResource, SynthResult } from '../../gate/synth/synthesize';
import { MOCK_ACCOUNT_ID, mockState } from '../../gate/synth/mock-values';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface FunctionModel {
  readonly name: string;
  readonly roleName: string;
  readonly logGroup: string;
  readonly tracingActive: boolean;
  /** A customer-managed key for the environment variables, if any. */
  readonly kmsKeyArn?: string;
}

export interface RoleModel {
  readonly name: string;
  readonly arn: string;
  /** The role's inline policy (one per role, a convention tests/stack enforces). */
  readonly policy: PolicyDocument;
}

export interface StreamMappingModel {
  readonly functionName: string;
  readonly eventSourceArn: string;
  readonly onFailureArn?: string;
}

export interface StackModel {
  readonly region: string;
  readonly accountId: string;
  readonly functions: readonly FunctionModel[];
  readonly roles: ReadonlyMap<string, RoleModel>;
  /** Table name -> table ARN. */
  readonly tables: ReadonlyMap<string, string>;
  /** Bucket name -> its bucket policy (if any). */
  readonly buckets: ReadonlyMap<string, PolicyDocument | undefined>;
  /** Secret name -> the KMS key that encrypts it, when not the AWS managed key. */
  readonly secrets: ReadonlyMap<string, { kmsKeyId?: string }>;
  /** Topic ARN -> topic name and its KMS key. */
  readonly topics: ReadonlyMap<string, { name: string; kmsKeyId?: string }>;
  /** Queue name -> queue ARN and KMS key. */
  readonly queues: ReadonlyMap<string, { arn: string; kmsKeyId?: string }>;
  /** KMS key id or ARN -> key policy. */
  readonly keys: ReadonlyMap<string, PolicyDocument | undefined>;
  readonly streamMappings: readonly StreamMappingModel[];
  /** Function name -> on-failure destination of its asynchronous invocations. */
  readonly asyncFailureDestinations: ReadonlyMap<string, string>;
}

type Inputs = Record<string, unknown>;
const ofType = (synth: SynthResult, type: string): SynthResource[] =>
  synth.resources.filter((r) => r.type === type);
const obj = (value: unknown): Inputs => (value && typeof value === 'object' ? (value as Inputs) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const nameOfArn = (arn: string): string => arn.split(/[:/]/).pop() ?? arn;
/** AWS managed keys (`alias/aws/...`) need no grant in the caller's policy. */
const customerKey = (key: unknown): string | undefined =>
  str(key) && !String(key).startsWith('alias/aws/') ? String(key) : undefined;

function parsePolicy(text: unknown, where: string): PolicyDocument {
  if (typeof text !== 'string') throw new Error(`${where}: the policy is not known at synthesis.`);
  return JSON.parse(text) as PolicyDocument;
}

/** The region of the stack's provider; every resource deploys there (a policy-pack rule). */
function regionOf(synth: SynthResult): string {
  const provider = ofType(synth, 'pulumi:providers:aws')[0];
  return str(provider?.inputs.region) ?? 'us-east-1';
}

function functionsOf(synth: SynthResult): FunctionModel[] {
  return ofType(synth, 'aws:lambda/function:Function').map((f) => {
    const name = String(f.inputs.name);
    return {
      name,
      roleName: nameOfArn(String(f.inputs.role)),
      logGroup: str(obj(f.inputs.loggingConfig).logGroup) ?? `/aws/lambda/${name}`,
      tracingActive: obj(f.inputs.tracingConfig).mode === 'Active',
      kmsKeyArn: customerKey(f.inputs.kmsKeyArn),
    };
  });
}

function rolesOf(synth: SynthResult, accountId: string): Map<string, RoleModel> {
  const roles = new Map<string, RoleModel>();
  for (const role of ofType(synth, 'aws:iam/role:Role')) {
    const name = String(role.inputs.name);
    const policies = ofType(synth, 'aws:iam/rolePolicy:RolePolicy').filter((p) => p.inputs.role === name);
    if (policies.length !== 1)
      throw new Error(`role ${name} has ${policies.length} inline policies, not one`);
    roles.set(name, {
      name,
      arn: `arn:aws:iam::${accountId}:role/${name}`,
      policy: parsePolicy(policies[0].inputs.policy, `role ${name}`),
    });
  }
  return roles;
}

export function readStackModel(synth: SynthResult): StackModel {
  const region = regionOf(synth);
  const accountId = MOCK_ACCOUNT_ID;
  const arn = (service: string, rest: string) => `arn:aws:${service}:${region}:${accountId}:${rest}`;
  const bucketPolicies = new Map(
    ofType(synth, 'aws:s3/bucketPolicy:BucketPolicy').map((p) => [
      String(p.inputs.bucket),
      parsePolicy(p.inputs.policy, `bucket policy of ${String(p.inputs.bucket)}`),
    ]),
  );
  return {
    region,
    accountId,
    functions: functionsOf(synth),
    roles: rolesOf(synth, accountId),
    tables: new Map(
      ofType(synth, 'aws:dynamodb/table:Table').map((t) => [
        String(t.inputs.name),
        arn('dynamodb', `table/${String(t.inputs.name)}`),
      ]),
    ),
    buckets: new Map(
      ofType(synth, 'aws:s3/bucket:Bucket').map((b) => [
        String(b.inputs.bucket),
        bucketPolicies.get(String(b.inputs.bucket)),
      ]),
    ),
    secrets: new Map(
      ofType(synth, 'aws:secretsmanager/secret:Secret').map((s) => [
        String(s.inputs.name),
        { kmsKeyId: customerKey(s.inputs.kmsKeyId) },
      ]),
    ),
    topics: new Map(
      ofType(synth, 'aws:sns/topic:Topic').map((t) => [
        arn('sns', String(t.inputs.name)),
        { name: String(t.inputs.name), kmsKeyId: customerKey(t.inputs.kmsMasterKeyId) },
      ]),
    ),
    queues: new Map(
      ofType(synth, 'aws:sqs/queue:Queue').map((q) => [
        String(q.inputs.name),
        { arn: arn('sqs', String(q.inputs.name)), kmsKeyId: customerKey(q.inputs.kmsMasterKeyId) },
      ]),
    ),
    keys: new Map(
      ofType(synth, 'aws:kms/key:Key').flatMap((k) => {
        const policy =
          typeof k.inputs.policy === 'string' ? parsePolicy(k.inputs.policy, `key ${k.name}`) : undefined;
        // A reference to the key is its id or its ARN, as Pulumi's mocks computed them.
        const mocked = mockState({
          type: k.type,
          name: k.name,
          inputs: k.inputs,
          provider: '',
          id: '',
          custom: true,
        });
        return [String(mocked.id), String(mocked.state.arn)].map((ref) => [ref, policy] as const);
      }),
    ),
    streamMappings: ofType(synth, 'aws:lambda/eventSourceMapping:EventSourceMapping').map((m) => ({
      functionName: nameOfArn(String(m.inputs.functionName)),
      eventSourceArn: String(m.inputs.eventSourceArn),
      onFailureArn: str(obj(obj(m.inputs.destinationConfig).onFailure).destinationArn),
    })),
    asyncFailureDestinations: new Map(
      ofType(synth, 'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig').flatMap((c) => {
        const destination = str(obj(obj(c.inputs.destinationConfig).onFailure).destination);
        return destination ? [[nameOfArn(String(c.inputs.functionName)), destination] as const] : [];
      }),
    ),
  };
}

/** The role of a function, failing loudly when the stack gives it none. */
export function roleOf(model: StackModel, functionName: string): RoleModel {
  const fn = model.functions.find((f) => f.name === functionName);
  const role = fn && model.roles.get(fn.roleName);
  if (!role) throw new Error(`function ${functionName} is not in the synthesized stack, or has no role`);
  return role;
}
