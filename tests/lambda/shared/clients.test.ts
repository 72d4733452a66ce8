import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createDynamoDbClient, createS3Client } from '../../../lambda/shared/clients';

/** A loopback HTTP server that records requests and answers with an error body. */
const recorder = async () => {
  const seen: { url?: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers });
    res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
    res.end('{"__type":"com.amazon.coral.validate#ValidationException","message":"recorded"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { seen, endpoint, close: () => new Promise((resolve) => server.close(resolve)) };
};

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('client factories', () => {
  it('DynamoDB honours AWS_ENDPOINT_URL_DYNAMODB', async () => {
    const server = await recorder();
    try {
      const client = createDynamoDbClient(
        { region: 'us-east-1', credentials },
        { AWS_ENDPOINT_URL_DYNAMODB: server.endpoint },
      );
      await expect(client.send(new ListTablesCommand({}))).rejects.toThrow('recorded');
      expect(server.seen).toHaveLength(1);
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('S3 with an endpoint override uses path-style addressing on that endpoint', async () => {
    const server = await recorder();
    try {
      const client = createS3Client(
        { region: 'us-east-1', credentials, maxAttempts: 1 },
        { AWS_ENDPOINT_URL_S3: server.endpoint },
      );
      expect(client.config.forcePathStyle).toBe(true);
      await client
        .send(new GetObjectCommand({ Bucket: 'bucket-a', Key: 'uploads/x.csv' }))
        .catch(() => undefined);
      expect(server.seen[0].url).toMatch(/^\/bucket-a\/uploads\/x\.csv/);
      client.destroy();
    } finally {
      await server.close();
    }
  });

  it('without overrides the clients keep AWS defaults (no path style)', () => {
    const client = createS3Client({ region: 'us-east-1', credentials }, {});
    expect(client.config.forcePathStyle).toBe(false);
    client.destroy();
  });
});
