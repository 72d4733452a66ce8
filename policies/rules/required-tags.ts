import taggable from '../data/taggable-types.json';
import { resourcePolicy } from '../lib/define';
import { describe, effectiveTags, type Props } from '../lib/values';

interface Config {
  requiredTags: Record<string, string>;
}

// Derived from @pulumi/aws by scripts/generate-taggable-types.ts: types whose Args accept `tags`.
const TAGGABLE = new Set<string>(taggable.types);

export const requiredTags = resourcePolicy<Props, Config>(
  {
    id: 'required-tags',
    displayName: 'Taggable resources carry the required tags',
    description:
      'Every taggable AWS resource must carry the required tags with their exact values (default Environment=production and Project=transaction-processor). Tags set through the provider defaultTags count. The tags put every resource in the PCI DSS inventory and its cost report.',
    enforcementLevel: 'mandatory',
    severity: 'medium',
    controls: { pciDss: ['12.5.1'] },
    remediationSteps:
      "Set the tags on the resource (`tags: { Environment: 'production', Project: 'transaction-processor' }`) or on the aws.Provider's `defaultTags.tags`.",
    url: 'https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html',
    config: {
      requiredTags: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: { Environment: 'production', Project: 'transaction-processor' },
        description: 'Tag name -> required value.',
      },
    },
  },
  '*',
  ({ props, type, provider, config, report, notApplicable }) => {
    if (!TAGGABLE.has(type)) notApplicable(`${type} does not accept tags`);
    const tags = effectiveTags(props, provider);
    for (const [key, value] of Object.entries(config.requiredTags)) {
      if (tags[key] !== value) report(`tag ${key} should be "${value}"; found ${describe(tags[key])}.`);
    }
  },
);
