import { resourcePolicy } from '../lib/define';

/**
 * "No retain", part the engine lets a pack see: `protect`. `retainOnDelete` is never sent to
 * analyzers, so the program's guard and the offline gate enforce it (see SECURITY.md).
 */
export const noProtectedResources = resourcePolicy(
  {
    id: 'no-protected-resources',
    displayName: 'No resource is protected from deletion',
    description:
      'No resource may set the protect option. Every environment must be fully destroyable by pulumi destroy so that no copy of card data outlives its stack.',
    enforcementLevel: 'mandatory',
    severity: 'low',
    controls: { pciDss: ['3.2.1'] },
    remediationSteps:
      'Remove `protect: true` from the resource options (and run `pulumi state unprotect` for existing state).',
    url: 'https://www.pulumi.com/docs/iac/concepts/options/protect/',
  },
  '*',
  ({ opts, report }) => {
    if (opts.protect) report('the protect option should be false; found true.');
  },
);
