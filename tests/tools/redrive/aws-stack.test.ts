/** `--stack NAME`: the deployed stack's names come from Pulumi.NAME.yaml alone, through stackNames. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAwsStack, StackFileError } from '../../../tools/redrive/aws-stack';

describe('the stack redrive works on', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'redrive-stack-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is named by its stack file: queues and functions from its environment suffix, in us-east-1', () => {
    writeFileSync(
      join(root, 'Pulumi.prod.yaml'),
      'config:\n  aws:region: us-east-1\n  aws:profile: payments-prod\n  transaction-processor:environmentSuffix: prod-eu\n',
    );
    expect(readAwsStack('prod', root)).toEqual({
      stack: 'prod',
      region: 'us-east-1',
      profile: 'payments-prod',
      bucket: 's3-uploads-prod-eu',
      validator: { functionName: 'lambda-validator-prod-eu', queueName: 'sqs-validator-failures-prod-eu' },
      anomaly: { functionName: 'lambda-anomaly-prod-eu', queueName: 'sqs-anomaly-failures-prod-eu' },
    });
  });

  it("is read from the project's own stack files by default (Pulumi.dev.yaml)", () => {
    expect(readAwsStack('dev').validator.queueName).toBe('sqs-validator-failures-dev');
  });

  it('must have a stack file: the error names the file and the stacks there are', () => {
    writeFileSync(join(root, 'Pulumi.dev.yaml'), 'config:\n  transaction-processor:environmentSuffix: dev\n');
    expect(() => readAwsStack('prod', root)).toThrow(StackFileError);
    expect(() => readAwsStack('prod', root)).toThrow(/no stack file .*Pulumi\.prod\.yaml: .*here: dev\)/);
  });

  it('must set a valid environment suffix', () => {
    writeFileSync(
      join(root, 'Pulumi.bad.yaml'),
      'config:\n  transaction-processor:environmentSuffix: Bad_Suffix\n',
    );
    expect(() => readAwsStack('bad', root)).toThrow(/sets no valid transaction-processor:environmentSuffix/);
  });
});
