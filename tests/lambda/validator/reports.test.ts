import { S3Client } from '@aws-sdk/client-s3';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { createRejectsFile, csvField } from '../../../lambda/validator/adapters/reports';

describe('reports', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
    ['+cmd', "'+cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['-5.00', '-5.00'],
    ['-x', "'-x"],
  ])('csvField(%p) is %p (RFC 4180 quoting, spreadsheet formulas neutralised)', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('uploads nothing when no row was rejected, and the rows with a header otherwise', async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const client = new S3Client({ region: 'us-east-1' });
    const empty = await createRejectsFile(() => ['a']);
    expect(await empty.upload(client, 'b', 'k')).toBe(false);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);

    const file = await createRejectsFile(() => ['transaction_id', 'card_number']);
    await file.add({
      line: 4,
      errors: [{ line: 4, column: 'amount', code: 'INVALID_AMOUNT', message: 'bad' }],
      fields: ['tx-1', '**** **** **** 1111'],
    });
    expect(await file.upload(client, 'b', 'reports/m/u.rejects.csv')).toBe(true);
    const input = s3.commandCalls(PutObjectCommand)[0].args[0].input;
    let body = '';
    for await (const chunk of input.Body as AsyncIterable<Buffer>) body += chunk.toString();
    expect(body).toBe(
      'line,code,column,message,transaction_id,card_number\r\n4,INVALID_AMOUNT,amount,bad,tx-1,**** **** **** 1111\r\n',
    );
    expect(input.ContentLength).toBe(Buffer.byteLength(body));
    s3.restore();
  });
});
