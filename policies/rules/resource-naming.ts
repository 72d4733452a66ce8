import { resourcePolicy } from '../lib/define';
import { describe, type Props } from '../lib/values';

interface Config {
  prefixes: Record<string, string>;
  environmentSuffixPattern: string;
}

const DEFAULT_PREFIXES: Record<string, string> = {
  'aws:s3/bucket:Bucket': 's3',
  'aws:dynamodb/table:Table': 'dynamodb',
  'aws:sns/topic:Topic': 'sns',
  'aws:sqs/queue:Queue': 'sqs',
  'aws:secretsmanager/secret:Secret': 'secret',
  'aws:lambda/function:Function': 'lambda',
  'aws:iam/role:Role': 'role',
  'aws:apigateway/restApi:RestApi': 'apigw',
  'aws:apigateway/usagePlan:UsagePlan': 'usageplan',
  'aws:apigateway/apiKey:ApiKey': 'apikey',
};

/** Log groups are named after their owner, which AWS dictates: /aws/lambda/<function>. */
const LOG_GROUP_OWNERS: Record<string, string> = { '/aws/lambda/': 'lambda', '/aws/apigateway/': 'apigw' };
const LOG_GROUP = 'aws:cloudwatch/logGroup:LogGroup';

const nameField = (type: string) => (type === 'aws:s3/bucket:Bucket' ? 'bucket' : 'name');

export const resourceNaming = resourcePolicy<Props, Config>(
  {
    id: 'resource-naming',
    displayName: 'Resources follow the naming convention',
    description:
      'Every named resource must be named {resource-type}-{purpose}-{environmentSuffix} in lowercase, for example s3-uploads-dev, and log groups must be named after the function or API they serve. Explicit, predictable names make ARNs known at preview and keep the inventory readable.',
    enforcementLevel: 'mandatory',
    severity: 'low',
    controls: { pciDss: ['12.5.1'] },
    remediationSteps:
      'Name the resource with the stack naming helper: `{resource-type}-{purpose}-{environmentSuffix}` (e.g. lambda-validator-dev); never rely on auto-naming.',
    config: {
      prefixes: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: DEFAULT_PREFIXES,
        description: 'Resource type token -> required name prefix.',
      },
      environmentSuffixPattern: { type: 'string', default: '[a-z0-9]([a-z0-9-]*[a-z0-9])?' },
    },
  },
  '*',
  ({ props, type, config, report, notApplicable }) => {
    const conventional = (prefix: string) =>
      new RegExp(`^${prefix}-[a-z0-9]+(-[a-z0-9]+)*-${config.environmentSuffixPattern}$`);
    if (type === LOG_GROUP) {
      const name = String(props.name ?? '');
      const owner = Object.entries(LOG_GROUP_OWNERS).find(([path]) => name.startsWith(path));
      if (!owner || !conventional(owner[1]).test(name.slice(owner[0].length))) {
        report(
          `the log group name should be /aws/lambda/<function name> or /aws/apigateway/<api name>; found ${describe(props.name)}.`,
        );
      }
      return;
    }
    const prefix = config.prefixes[type];
    if (!prefix) notApplicable(`${type} has no naming prefix`);
    const field = nameField(type);
    const name = props[field];
    if (typeof name !== 'string' || !conventional(prefix).test(name)) {
      report(`${field} should match ${prefix}-{purpose}-{environmentSuffix}; found ${describe(name)}.`);
    }
  },
);
