import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { CardKeyUnavailableError } from '../../../lambda/shared/errors';
import { cachedCardKey, fetchCardKey } from '../../../lambda/shared/secret';

const secrets = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'us-east-1' });

describe('card-hash key from Secrets Manager', () => {
  beforeEach(() => secrets.reset());

  it('reads the key once per cold start, even for concurrent first calls', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'card-key' }).resolves({ SecretString: 's3cr3t' });
    const load = cachedCardKey(client, 'card-key');
    await expect(Promise.all([load(), load()])).resolves.toEqual(['s3cr3t', 's3cr3t']);
    await expect(load()).resolves.toBe('s3cr3t');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('a missing secret is a clear CardKeyUnavailableError, and the next call tries again', async () => {
    const notFound = Object.assign(new Error('Secrets Manager cannot find the specified secret.'), {
      name: 'ResourceNotFoundException',
    });
    secrets.on(GetSecretValueCommand).rejectsOnce(notFound).resolves({ SecretString: 'later' });
    const load = cachedCardKey(client, 'card-key');
    const failure = await load().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CardKeyUnavailableError);
    expect((failure as CardKeyUnavailableError).message).toMatch(
      /card-key could not be read \(ResourceNotFoundException\)/,
    );
    await expect(load()).resolves.toBe('later');
  });

  it('an empty secret is refused', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    await expect(fetchCardKey(client, 'card-key')).rejects.toThrow(/card-key is empty/);
  });

  it('a binary secret is read as UTF-8', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: Buffer.from('binary-key') });
    await expect(fetchCardKey(client, 'card-key')).resolves.toBe('binary-key');
  });
});
