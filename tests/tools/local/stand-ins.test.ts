import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { startSecretStore } from '../../../tools/local/secret-store';
import { startAlertSink } from '../../../tools/local/sns-sink';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:sns-alerts-dev';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'stand-ins-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the SNS stand-in, called with the real SDK client', () => {
  test('records a published alert with its subject and attributes, in memory and in the file', async () => {
    const sink = await startAlertSink({ topicArn: TOPIC, file: join(dir, 'alerts.jsonl') });
    const sns = new SNSClient({ endpoint: sink.url, region: 'us-east-1', credentials });
    try {
      const sent = await sns.send(
        new PublishCommand({
          TopicArn: TOPIC,
          Subject: '[HIGH] velocity',
          Message: 'body',
          MessageAttributes: { rule: { DataType: 'String', StringValue: 'velocity' } },
        }),
      );
      expect(sent.MessageId).toBe(sink.alerts[0].messageId);
      expect(sink.alerts[0]).toMatchObject({
        subject: '[HIGH] velocity',
        message: 'body',
        attributes: { rule: 'velocity' },
      });
      expect(JSON.parse(readFileSync(join(dir, 'alerts.jsonl'), 'utf8'))).toEqual(sink.alerts[0]);
    } finally {
      sns.destroy();
      await sink.close();
    }
  });

  test('answers an unknown topic with NotFound and an injected outage with a 500', async () => {
    const sink = await startAlertSink({ topicArn: TOPIC, file: join(dir, 'alerts.jsonl') });
    const sns = new SNSClient({ endpoint: sink.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    try {
      await expect(
        sns.send(new PublishCommand({ TopicArn: `${TOPIC}-other`, Message: 'x' })),
      ).rejects.toMatchObject({
        name: 'NotFoundException',
      });
      sink.failNextRequests(1);
      await expect(sns.send(new PublishCommand({ TopicArn: TOPIC, Message: 'x' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
      expect(sink.alerts).toEqual([]);
    } finally {
      sns.destroy();
      await sink.close();
    }
  });
});

describe('the Secrets Manager stand-in', () => {
  test('serves a generated 64-character key kept in a private file, and nothing else', async () => {
    const keyFile = join(dir, 'card-hash-key');
    const store = await startSecretStore({
      secretName: 'secret-a',
      region: 'us-east-1',
      accountId: '1',
      keyFile,
    });
    const client = new SecretsManagerClient({ endpoint: store.url, region: 'us-east-1', credentials });
    try {
      const secret = await client.send(new GetSecretValueCommand({ SecretId: 'secret-a' }));
      expect(secret.SecretString).toMatch(/^[A-Za-z0-9]{64}$/);
      expect(readFileSync(keyFile, 'utf8')).toBe(secret.SecretString);
      expect(statSync(keyFile).mode & 0o077).toBe(0);
      await expect(client.send(new GetSecretValueCommand({ SecretId: 'other' }))).rejects.toMatchObject({
        name: 'ResourceNotFoundException',
      });
    } finally {
      client.destroy();
      await store.close();
    }
  });
});
