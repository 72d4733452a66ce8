/**
 * The card-hash key, read once per cold start from Secrets Manager. The promise is cached so
 * concurrent first calls share one request; a failed read is not cached, so the next
 * invocation tries again instead of being poisoned for the life of the sandbox.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CardKeyUnavailableError } from './errors';

export type CardKeyLoader = () => Promise<string>;

export const fetchCardKey = async (client: SecretsManagerClient, secretId: string): Promise<string> => {
  let secret: string | undefined;
  try {
    const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    secret =
      result.SecretString ??
      (result.SecretBinary ? Buffer.from(result.SecretBinary).toString('utf8') : undefined);
  } catch (error) {
    const name = error instanceof Error ? error.name : 'UnknownError';
    throw new CardKeyUnavailableError(`The card-hash key ${secretId} could not be read (${name}).`, {
      cause: error,
    });
  }
  if (secret === undefined || secret.trim() === '') {
    throw new CardKeyUnavailableError(`The card-hash key ${secretId} is empty.`);
  }
  return secret;
};

/** A loader that reads the key on first use and then returns the same value. */
export const cachedCardKey = (client: SecretsManagerClient, secretId: string): CardKeyLoader => {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= fetchCardKey(client, secretId).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};
