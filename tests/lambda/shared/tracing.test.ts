/**
 * The detector's and the validator's deployed bundles leave the X-Ray SDK out (lambda/shared/
 * tracing.ts says why): the SDK installs an async hook that tracks every promise, and their CPU per
 * row bounds how fast a file is stored and its alerts sent.
 */
import { bundleFunction } from '../../../stack/lambda-bundle';

const installsAsyncHook = (code: string) => code.includes('createHook(');

describe("the bulk functions' bundles", () => {
  it.each(['anomaly', 'validator'] as const)(
    '%s: installs no async hook and bundles no X-Ray SDK',
    (purpose) => {
      const code = bundleFunction(purpose).code;
      expect(installsAsyncHook(code)).toBe(false);
      expect(code).not.toContain('AWS_XRAY_CONTEXT_MISSING');
    },
  );

  it('the API, which traces its few SDK calls, does (so the check above can fail)', () => {
    const code = bundleFunction('api').code;
    expect(installsAsyncHook(code)).toBe(true);
    expect(code).toContain('AWS_XRAY_CONTEXT_MISSING');
  });
});
