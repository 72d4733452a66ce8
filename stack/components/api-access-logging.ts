import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { ArnContext, policyDocument, serviceTrustPolicy } from '../iam';
import { tagsFor } from '../tags';

export interface AccessLoggingArgs {
  /** Names (naming.ts computes them): the access-log group, and the account's log role and its policy. */
  readonly logGroupName: string;
  readonly roleName: string;
  readonly policyName: string;
  readonly arnContext: ArnContext;
  /** @default 7 */
  readonly logRetentionDays?: number;
  /** @default true */
  readonly manageAccountLogRole?: boolean;
}

/** Fields of each access-log line (JSON): who called what, and how it ended. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  apiKeyId: '$context.identity.apiKeyId',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.resourcePath',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  time: '$context.requestTime',
});

/**
 * API Gateway writes every REST API's logs in an account and region through one CloudWatch role
 * (an account setting). Its policy covers the log groups API Gateway writes, access logs under
 * `/aws/apigateway/*` and execution logs `API-Gateway-Execution-Logs_*`, so other APIs sharing the
 * account keep logging; `manageAccountLogRole: false` leaves the setting to whoever owns it.
 */
export function createAccessLogging(parent: pulumi.Resource, name: string, args: AccessLoggingArgs) {
  const { logGroupName, roleName } = args;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-access-logs`,
    { name: logGroupName, retentionInDays: args.logRetentionDays ?? 7, tags: tagsFor(logGroupName) },
    { parent },
  );
  if (args.manageAccountLogRole === false) return { logGroup, account: undefined };

  const role = new aws.iam.Role(
    `${name}-logs-role`,
    {
      name: roleName,
      description: 'Lets API Gateway write access and execution logs',
      assumeRolePolicy: serviceTrustPolicy('apigateway.amazonaws.com'),
      tags: tagsFor(roleName),
    },
    { parent },
  );
  const { region, accountId } = args.arnContext;
  const groups = (pattern: string) =>
    pulumi.interpolate`arn:aws:logs:${region}:${accountId}:log-group:${pattern}`;
  const policy = new aws.iam.RolePolicy(
    `${name}-logs-policy`,
    {
      name: args.policyName,
      role: role.name,
      policy: policyDocument([
        {
          Sid: 'WriteApiGatewayLogGroups',
          Action: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:PutLogEvents',
            'logs:DescribeLogStreams',
          ],
          Resource: [groups('/aws/apigateway/*'), groups('API-Gateway-Execution-Logs_*')],
        },
      ]),
    },
    { parent },
  );
  const account = new aws.apigateway.Account(
    `${name}-account`,
    { cloudwatchRoleArn: role.arn },
    { parent, dependsOn: [policy] },
  );
  return { logGroup, account };
}
