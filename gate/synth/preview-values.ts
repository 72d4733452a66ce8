import { MockResourceArgs, MockResourceResult } from '@pulumi/pulumi/runtime';

/**
 * Mock results for a first `pulumi preview`, where every resource is about to be created: the
 * engine answers a planned create with the resource's checked inputs as its state, and every
 * other output (ARNs, ids, URLs, generated values) is unknown until the resource exists. Under
 * preview mocks the SDK marks every output missing from the state, and an empty id, as unknown.
 * https://www.pulumi.com/docs/iac/concepts/inputs-outputs/ (outputs unknown during preview)
 */
export function previewState(args: MockResourceArgs): MockResourceResult {
  return { id: undefined, state: { ...(args.inputs as Record<string, unknown>) } };
}
