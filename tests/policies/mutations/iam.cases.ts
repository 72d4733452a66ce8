/** Mutations breaking least-privilege IAM and resource policies. */
import { withStatement, type Case } from './case';
import {
  alertsTopic,
  anomalyPolicy,
  apiGatewayInvokesApi,
  apiGatewayLogsRole,
  apiPolicy,
  apiRole,
  s3InvokesValidator,
  uploadsBucketPolicy,
  validatorPolicy,
  validatorRole,
} from '../selectors';

export const IAM_CASES: Case[] = [
  {
    policy: 'iam-least-privilege',
    breaks: 'a service wildcard action',
    target: validatorPolicy,
    mutate: (p) =>
      withStatement(p, { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::s3-uploads-dev/*' }),
    expected: 'should grant exact actions; found wildcard action "s3:*".',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'Action "*"',
    target: apiPolicy,
    mutate: (p) => withStatement(p, { Effect: 'Allow', Action: '*', Resource: '*' }),
    expected: 'found wildcard action "*"',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'Resource "*" for an action with resource-level permissions',
    target: anomalyPolicy,
    mutate: (p) =>
      withStatement(p, { Sid: 'TooBroad', Effect: 'Allow', Action: 'dynamodb:GetRecords', Resource: '*' }),
    expected: 'statement "TooBroad" should scope dynamodb:GetRecords to exact ARNs; found Resource "*".',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'iam:PassRole on *',
    target: apiPolicy,
    mutate: (p) => withStatement(p, { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }),
    expected: 'iam:PassRole on * lets the holder hand any role to a service',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'a whole-service ARN wildcard',
    target: apiPolicy,
    mutate: (p) => withStatement(p, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' }),
    expected: 'found Resource "arn:aws:s3:::*"',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'NotAction with Allow',
    target: apiPolicy,
    mutate: (p) =>
      withStatement(p, { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::s3-uploads-dev' }),
    expected: 'should list Action, not NotAction; found NotAction with Allow.',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'NotResource with Allow',
    target: apiPolicy,
    mutate: (p) =>
      withStatement(p, { Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:s3:::other/*' }),
    expected: 'should list Resource, not NotResource; found NotResource with Allow.',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'an action that does not exist',
    target: apiPolicy,
    mutate: (p) =>
      withStatement(p, {
        Effect: 'Allow',
        Action: 'dynamodb:QueryEverything',
        Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/x',
      }),
    expected:
      'should grant actions that exist; found "dynamodb:QueryEverything" (it does not exist in the IAM data).',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'a service that does not exist',
    target: apiPolicy,
    mutate: (p) =>
      withStatement(p, {
        Effect: 'Allow',
        Action: 'dynamo:Query',
        Resource: 'arn:aws:dynamodb:us-east-1:123456789012:table/x',
      }),
    expected: 'service "dynamo" does not exist',
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'a document that is not JSON',
    target: apiPolicy,
    mutate: (p) => {
      p.policy = '{"Statement": [';
    },
    expected: /policy should be a valid policy document; found that the policy document is not valid JSON/,
  },
  {
    policy: 'iam-least-privilege',
    breaks: 'a Role inline policy with a wildcard',
    target: apiRole,
    mutate: (p) => {
      p.inlinePolicies = [
        {
          name: 'x',
          policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sns:*', Resource: '*' }] }),
        },
      ];
    },
    expected: 'inlinePolicies[0] statement #1 should grant exact actions; found wildcard action "sns:*".',
  },
  {
    policy: 'iam-no-broad-managed-policies',
    breaks: 'AdministratorAccess on a role',
    target: apiGatewayLogsRole,
    mutate: (p) => {
      p.managedPolicyArns = ['arn:aws:iam::aws:policy/AdministratorAccess'];
    },
    expected: 'found AWS managed policy "arn:aws:iam::aws:policy/AdministratorAccess".',
  },
  {
    policy: 'iam-no-broad-managed-policies',
    breaks: 'a *FullAccess managed policy',
    target: validatorRole,
    mutate: (p) => {
      p.managedPolicyArns = ['arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess'];
    },
    expected: 'AmazonDynamoDBFullAccess',
  },
  {
    policy: 'iam-trust-service-principal',
    breaks: 'an account principal',
    target: validatorRole,
    mutate: (p) => {
      p.assumeRolePolicy = JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999999999999:root' }, Action: 'sts:AssumeRole' },
        ],
      });
    },
    expected: 'found principals ["AWS:arn:aws:iam::999999999999:root"]',
  },
  {
    policy: 'iam-trust-service-principal',
    breaks: 'a "*" principal',
    target: apiRole,
    mutate: (p) => {
      p.assumeRolePolicy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }],
      });
    },
    expected: 'should trust only lambda.amazonaws.com or apigateway.amazonaws.com; found principals ["*:*"].',
  },
  {
    policy: 'iam-trust-service-principal',
    breaks: 'an extra trusted action',
    target: apiRole,
    mutate: (p) => {
      p.assumeRolePolicy = JSON.stringify({
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
          },
        ],
      });
    },
    expected: 'should allow only sts:AssumeRole; found ["sts:AssumeRole","sts:TagSession"].',
  },
  {
    policy: 'lambda-permission-source',
    breaks: 'a permission without a source ARN',
    target: s3InvokesValidator,
    mutate: (p) => {
      delete p.sourceArn;
    },
    expected: 'sourceArn should name the calling resource; found it not set.',
  },
  {
    policy: 'lambda-permission-source',
    breaks: 'an S3 permission without a source account',
    target: s3InvokesValidator,
    mutate: (p) => {
      delete p.sourceAccount;
    },
    expected: 'sourceAccount should be set for s3.amazonaws.com',
  },
  {
    policy: 'lambda-permission-source',
    breaks: 'a "*" principal',
    target: apiGatewayInvokesApi,
    mutate: (p) => {
      p.principal = '*';
    },
    expected: 'principal should be an AWS service principal; found "*".',
  },
  {
    policy: 'no-public-resource-policies',
    breaks: 'a public bucket policy',
    target: uploadsBucketPolicy,
    mutate: (p) =>
      withStatement(p, {
        Sid: 'PublicRead',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::s3-uploads-dev/*',
      }),
    expected: 'statement "PublicRead" should not allow "*" without a source condition; found a public Allow.',
  },
  {
    policy: 'no-public-resource-policies',
    breaks: 'a public topic policy',
    target: alertsTopic,
    mutate: (p) => {
      p.policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: '*' }],
      });
    },
    expected: 'found a public Allow.',
  },
];
