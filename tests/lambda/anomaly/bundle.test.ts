/**
 * The detector's deployed bundle leaves the X-Ray SDK out (lambda/shared/tracing.ts says why): the
 * SDK installs an async hook that tracks every promise, and the detector's CPU per transaction
 * bounds how fast alerts follow an upload.
 */
import { bundleFunction } from '../../../stack/lambda-bundle';

const installsAsyncHook = (code: string) => code.includes('createHook(');

describe("the anomaly function's bundle", () => {
  it('installs no async hook, while the functions that trace their SDK calls do', () => {
    expect(installsAsyncHook(bundleFunction('anomaly').code)).toBe(false);
    expect(installsAsyncHook(bundleFunction('validator').code)).toBe(true);
    expect(installsAsyncHook(bundleFunction('api').code)).toBe(true);
  });

  it('does not bundle the X-Ray SDK at all', () => {
    expect(bundleFunction('anomaly').code).not.toContain('AWS_XRAY_CONTEXT_MISSING');
    expect(bundleFunction('validator').code).toContain('AWS_XRAY_CONTEXT_MISSING');
  });
});
