import { resourcePolicy } from '../lib/define';
import { decodeJsonish, describe, type Props } from '../lib/values';

interface Config {
  region: string;
}

const AWS_PROVIDER = 'pulumi:providers:aws';

/** All resources live in one region: one data location to document, and where the stack is tested. */
export const allowedRegion = resourcePolicy<Props, Config>(
  {
    id: 'allowed-region',
    displayName: 'Resources are deployed in the approved region',
    description:
      'Every AWS resource must be deployed in the configured region (default us-east-1), through its provider and any per-resource region override. Card data must stay where the cardholder data environment is documented.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['12.5.2', '1.2.4'] },
    remediationSteps:
      "Set `region: 'us-east-1'` on the aws.Provider used by the resource and remove per-resource `region` overrides.",
    url: 'https://docs.aws.amazon.com/general/latest/gr/rande.html',
    config: { region: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-\\d$', default: 'us-east-1' } },
  },
  '*',
  ({ props, type, provider, config, report, notApplicable }) => {
    if (type === AWS_PROVIDER) {
      const region = decodeJsonish(props.region);
      if (region !== config.region)
        report(`the provider region should be "${config.region}"; found ${describe(region)}.`);
      return;
    }
    if (!type.startsWith('aws:')) notApplicable('Policy only applies to AWS resources');
    const providerRegion = decodeJsonish(provider?.props?.region);
    if (providerRegion !== config.region) {
      report(`the provider region should be "${config.region}"; found ${describe(providerRegion)}.`);
    }
    if (props.region !== undefined && props.region !== config.region) {
      report(`the resource region should be "${config.region}"; found ${describe(props.region)}.`);
    }
  },
);
