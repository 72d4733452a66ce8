import { synthesize, SynthResult } from '../../gate/synth/synthesize';
import { deployerPrincipalArns, KEY_ADMINISTRATION_ACTIONS } from '../../stack/key-policy';
import { input, oneOfType } from './helpers';

let stack: SynthResult;
beforeAll(async () => {
  stack = await synthesize({ stack: 'dev' });
});

interface KeyStatement {
  Sid: string;
  Principal: { AWS: string };
  Action: string[];
  Condition?: Record<string, Record<string, unknown>>;
}
/** The card-hash key (the operations topic has a key of its own). */
function cardHashKey() {
  const keys = stack.resources.filter(
    (r) =>
      r.type === 'aws:kms/key:Key' &&
      (r.inputs.tags as Record<string, string> | undefined)?.Name === 'kms-card-hash-key-dev',
  );
  if (keys.length !== 1) throw new Error(`expected one card-hash key, found ${keys.length}`);
  return keys[0];
}
const keyPolicy = () => JSON.parse(input<string>(cardHashKey(), 'policy')) as { Statement: KeyStatement[] };
const statement = (sid: string) => keyPolicy().Statement.find((s) => s.Sid === sid)!;

describe('the card-hash key', () => {
  it('is a symmetric customer-managed key, rotated every year, tagged with its name', () => {
    expect(cardHashKey().inputs).toMatchObject({
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 7,
      tags: expect.objectContaining({ Name: 'kms-card-hash-key-dev' }),
    });
  });

  it('encrypts the card-hash secret', () => {
    const key = cardHashKey();
    const secret = oneOfType(stack, 'aws:secretsmanager/secret:Secret');
    expect(input(secret, 'kmsKeyId')).toBe('arn:aws:kms:us-east-1:123456789012:key/card-hash-kms-key-id');
    expect(secret.propertyDependencies?.kmsKeyId).toContain(key.urn);
  });

  it('is created after the validator role its policy names (KMS refuses a policy naming a missing principal)', () => {
    const key = cardHashKey();
    const role = stack.resources.find(
      (r) => r.type === 'aws:iam/role:Role' && r.inputs.name === 'role-validator-dev',
    );
    expect(key.dependencies).toContain(role!.urn);
  });

  it('lets the account administer the key but never use it', () => {
    const admin = statement('AccountAdministersTheKey');
    expect(admin.Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:root' });
    expect(admin.Action).toEqual([...KEY_ADMINISTRATION_ACTIONS]);
    for (const action of admin.Action) {
      expect(action).not.toMatch(/\*|Decrypt|Encrypt|GenerateDataKey|CreateGrant|Sign|Mac/);
    }
  });

  it('lets the validator role, by its ARN, decrypt only through Secrets Manager', () => {
    expect(statement('ValidatorReadsTheSecret')).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::123456789012:role/role-validator-dev' },
      Action: ['kms:Decrypt'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
    });
  });

  it('lets the deployer (the caller of pulumi up) write and read the value through Secrets Manager', () => {
    expect(statement('DeployerWritesTheSecret')).toMatchObject({
      Principal: { AWS: 'arn:aws:iam::123456789012:root' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: {
        StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' },
        ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:user/mock'] },
      },
    });
    expect(keyPolicy().Statement.map((s) => s.Sid)).toEqual([
      'AccountAdministersTheKey',
      'ValidatorReadsTheSecret',
      'DeployerWritesTheSecret',
    ]);
  });
});

describe('the deployer principal', () => {
  it('is a user or the root as it is', () => {
    expect(deployerPrincipalArns('arn:aws:iam::111122223333:user/ci/deployer')).toEqual([
      'arn:aws:iam::111122223333:user/ci/deployer',
    ]);
    expect(deployerPrincipalArns('arn:aws:iam::111122223333:root')).toEqual([
      'arn:aws:iam::111122223333:root',
    ]);
  });

  it('is the role of an assumed-role session, at any path (the session ARN drops it)', () => {
    expect(
      deployerPrincipalArns('arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_1a2b/jane'),
    ).toEqual([
      'arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_1a2b',
      'arn:aws:iam::111122223333:role/*/AWSReservedSSO_Admin_1a2b',
    ]);
  });
});
