import { resourcePolicy } from '../lib/define';
import { knownOrUndefined } from '../lib/unknown';
import { describe } from '../lib/values';

interface Config {
  maxRotationDays: number;
}

/** Only symmetric encryption keys rotate automatically; KMS refuses rotation on the others. */
const ROTATABLE_SPECS = [undefined, 'SYMMETRIC_DEFAULT'];

export const kmsKeyRotation = resourcePolicy<
  { enableKeyRotation?: boolean; rotationPeriodInDays?: number; customerMasterKeySpec?: string },
  Config
>(
  {
    id: 'kms-key-rotation',
    displayName: 'Customer-managed KMS keys rotate',
    description:
      'Every symmetric customer-managed KMS key must enable automatic rotation, at most every configured number of days (default 365). Rotation ends each key version at the end of its cryptoperiod, as key-management procedures require.',
    enforcementLevel: 'mandatory',
    severity: 'high',
    controls: { pciDss: ['3.6.1', '3.7.4'], fsbp: ['KMS.4'], cis: ['3.6'] },
    remediationSteps:
      'Set `enableKeyRotation: true` (and `rotationPeriodInDays` no longer than the configured maximum, e.g. 365) on the aws.kms.Key.',
    url: 'https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html',
    config: { maxRotationDays: { type: 'integer', minimum: 90, maximum: 2560, default: 365 } },
  },
  ['aws:kms/key:Key'],
  ({ props, config, report, notApplicable }) => {
    const spec = knownOrUndefined<string>(props, 'customerMasterKeySpec');
    if (!ROTATABLE_SPECS.includes(spec))
      notApplicable(`KMS rotates only symmetric encryption keys; this key is ${spec}.`);
    if (props.enableKeyRotation !== true) {
      report(`enableKeyRotation should be true; found ${describe(props.enableKeyRotation)}.`);
    }
    // Unset means KMS's default period, 365 days.
    const period = props.rotationPeriodInDays ?? 365;
    if (typeof period !== 'number' || period > config.maxRotationDays) {
      report(
        `rotationPeriodInDays should be at most ${config.maxRotationDays}; found ${describe(props.rotationPeriodInDays)}.`,
      );
    }
  },
);
