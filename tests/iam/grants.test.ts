/** Leave-one-out on a small policy: what counts as an exercised grant. */
import type { Attempt } from './lambda-service';
import { grantsOf, unusedGrants, withoutGrant } from './grants';
import type { PolicyDocument, StackModel } from './stack-model';

const policy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Objects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: ['arn:aws:s3:::b/a/*', 'arn:aws:s3:::b/c/*'],
    },
    {
      Sid: 'List',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: ['arn:aws:s3:::b'],
      Condition: { StringLike: { 's3:prefix': ['a/*'] } },
    },
    // The same grant twice: neither copy is needed while the other exists.
    { Sid: 'Again', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/a/*'] },
  ],
};
const model = {
  accountId: '123456789012',
  roles: new Map([['r', { name: 'r', arn: 'arn:aws:iam::123456789012:role/r', policy }]]),
} as unknown as StackModel;
const attempt = (action: string, resource: string, context = {}): Attempt => ({
  role: 'r',
  functionName: 'f',
  origin: 'test',
  request: { action, resource, context },
});

describe('grants, one at a time', () => {
  it('lists one grant per statement, action and resource', () => {
    expect(grantsOf('r', policy)).toHaveLength(4 + 1 + 1);
  });

  it('takes out exactly one grant, keeping the rest of its statement and its condition', () => {
    const reduced = withoutGrant(policy, {
      role: 'r',
      sid: 'Objects',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/c/*',
    });
    expect(grantsOf('r', reduced).map((g) => `${g.action} ${g.resource}`)).toEqual([
      's3:PutObject arn:aws:s3:::b/a/*',
      's3:PutObject arn:aws:s3:::b/c/*',
      's3:GetObject arn:aws:s3:::b/a/*',
      's3:ListBucket arn:aws:s3:::b',
      's3:GetObject arn:aws:s3:::b/a/*',
    ]);
    expect(
      withoutGrant(policy, { role: 'r', sid: 'Objects', action: 's3:PutObject', resource: 'x' }).Statement,
    ).toContainEqual(policy.Statement[1]);
  });

  it('reports unused and duplicated grants, and not the ones a call needs', async () => {
    const unused = await unusedGrants(
      model,
      ['r'],
      [
        attempt('s3:GetObject', 'arn:aws:s3:::b/a/file'),
        attempt('s3:PutObject', 'arn:aws:s3:::b/c/file'),
        attempt('s3:ListBucket', 'arn:aws:s3:::b', { 's3:prefix': 'a/x' }),
      ],
    );
    expect(unused.map((g) => `${g.sid} ${g.action} ${g.resource}`).sort()).toEqual([
      'Again s3:GetObject arn:aws:s3:::b/a/*',
      'Objects s3:GetObject arn:aws:s3:::b/a/*',
      'Objects s3:GetObject arn:aws:s3:::b/c/*',
      'Objects s3:PutObject arn:aws:s3:::b/a/*',
    ]);
  });
});
