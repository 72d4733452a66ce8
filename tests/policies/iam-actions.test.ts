/** The IAM facts the least-privilege policy relies on come from the real IAM data set. */
import { actionFacts } from '../../policies/lib/iam-actions';

describe('IAM action facts', () => {
  it.each(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'])(
    'knows %s can only be granted on "*" (no resource type in the Service Authorization Reference)',
    async (action) => {
      expect(await actionFacts(action)).toMatchObject({ kind: 'exists', wildcardOnly: true });
    },
  );

  it.each(['dynamodb:GetRecords', 'iam:PassRole', 's3:GetObject', 'logs:PutLogEvents', 'sns:Publish'])(
    'knows %s has resource-level permissions',
    async (action) => {
      expect(await actionFacts(action)).toMatchObject({ kind: 'exists', wildcardOnly: false });
    },
  );

  it('matches case-insensitively and reports the canonical name', async () => {
    expect(await actionFacts('DynamoDB:putitem')).toEqual({
      kind: 'exists',
      canonical: 'dynamodb:PutItem',
      wildcardOnly: false,
    });
  });

  it('tells a missing action from a missing service and from a malformed name', async () => {
    expect(await actionFacts('s3:GetObjekt')).toEqual({ kind: 'unknown-action', service: 's3' });
    expect(await actionFacts('s4:GetObject')).toEqual({ kind: 'unknown-service', service: 's4' });
    expect(await actionFacts('GetObject')).toEqual({ kind: 'malformed' });
  });
});
