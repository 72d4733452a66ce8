import { resourcePolicy } from '../lib/define';

interface ThrottleProps {
  throttleSettings?: { burstLimit?: number; rateLimit?: number };
  quotaSettings?: { limit?: number; period?: string };
  settings?: { throttlingBurstLimit?: number; throttlingRateLimit?: number };
}

const USAGE_PLAN = 'aws:apigateway/usagePlan:UsagePlan';

/** Advisory: bounded request rates per merchant and per method keep one key from exhausting the API. */
export const apigatewayThrottling = resourcePolicy<ThrottleProps>(
  {
    id: 'apigateway-throttling',
    displayName: 'API Gateway limits request rates',
    description:
      'Every usage plan should set throttle (rate and burst) and quota limits, and every method settings resource should set throttling limits. Limits stop one merchant key, leaked or misused, from exhausting the API and the functions behind it.',
    enforcementLevel: 'advisory',
    severity: 'low',
    controls: { pciDss: ['6.4.1', '2.2.1'] },
    remediationSteps:
      'Set `throttleSettings` and `quotaSettings` on aws.apigateway.UsagePlan, and `settings.throttlingRateLimit`/`throttlingBurstLimit` on aws.apigateway.MethodSettings.',
    url: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
  },
  [USAGE_PLAN, 'aws:apigateway/methodSettings:MethodSettings'],
  ({ props, type, report }) => {
    if (type === USAGE_PLAN) {
      const t = props.throttleSettings;
      if (!(t?.rateLimit && t.rateLimit > 0 && t.burstLimit && t.burstLimit > 0)) {
        report('throttleSettings should set a positive rateLimit and burstLimit; found them missing.');
      }
      if (!(props.quotaSettings?.limit && props.quotaSettings.period)) {
        report('quotaSettings should set a limit and a period; found them missing.');
      }
      return;
    }
    const s = props.settings;
    if (!(
      s?.throttlingRateLimit &&
      s.throttlingRateLimit > 0 &&
      s.throttlingBurstLimit &&
      s.throttlingBurstLimit > 0
    )) {
      report('settings.throttlingRateLimit and throttlingBurstLimit should be positive; found them missing.');
    }
  },
);
