/**
 * The one place the synthesizer reaches past Pulumi's public mocks API (`setMocks`, `setAllConfig`):
 * - the mock monitor, wrapped so every registration is recorded exactly as the engine receives it
 *   (inputs as protobuf Struct JSON, with Pulumi's secret and unknown sentinels);
 * - running the program inside the root `pulumi:pulumi:Stack` resource, as the CLI's language host does;
 * - waiting until every outstanding registration has been answered;
 * - making the mock monitor name resources with the engine's URNs.
 * These are exported by `pulumi.runtime` (its .d.ts declares them) but not documented, so they may
 * change in any release. package-lock.json fixes the version every install gets (3.276.0 when
 * written); `npm update @pulumi/pulumi` must pass the stack, policy and gate suites, which all go
 * through this file, before the new lockfile lands.
 */
import * as pulumi from '@pulumi/pulumi';
import type { AliasMessage, TimeoutsMessage } from './register-options';

/** The subset of RegisterResourceRequest we read (see @pulumi/pulumi/proto/resource_pb). */
export interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getVersion(): string;
  getAdditionalsecretoutputsList(): string[];
  getAliasesList(): AliasMessage[];
  getCustomtimeouts(): TimeoutsMessage | undefined;
}
type Callback = (err: Error | null, resp?: { getUrn(): string }) => void;
export interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}
export interface Monitor {
  registerResource(req: RegisterRequest, cb: Callback): void;
  registerResourceOutputs(req: OutputsRequest, cb: (err: Error | null) => void): void;
}

interface PrivateRuntime {
  getMonitor(): Monitor;
  waitForRPCs(): Promise<void>;
  runInPulumiStack(init: () => Promise<Record<string, unknown> | undefined>): Promise<unknown>;
}

const runtime = pulumi.runtime as unknown as PrivateRuntime;

/** The mock monitor `setMocks` installed (its methods may be wrapped to record registrations). */
export function mockMonitor(): Monitor {
  return runtime.getMonitor();
}

interface UrnMaker {
  newUrn?: (parent: string, type: string, name: string) => string;
}

/**
 * The URN the engine gives a resource (pulumi/pulumi pkg/resource/deploy/deployment.go,
 * generateURN): its type is prefixed by its parent's whole qualified type, except when the parent
 * is the root stack. The mock monitor instead prefixes every child, the root stack's included, with
 * the last type of its parent, so a pack would see other URNs than under `pulumi preview`.
 */
export function engineUrn(
  stack: string,
  project: string,
  parent: string,
  type: string,
  name: string,
): string {
  const parentType = parent ? (parent.split('::')[2] ?? '') : '';
  const qualified = parentType && parentType !== 'pulumi:pulumi:Stack' ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Makes the installed mock monitor name resources as the engine does. */
export function useEngineUrns(stack: string, project: string): void {
  const monitor = runtime.getMonitor() as Monitor & UrnMaker;
  if (typeof monitor.newUrn !== 'function') {
    throw new Error('the Pulumi mock monitor no longer has newUrn: update gate/synth/pulumi-runtime.ts');
  }
  monitor.newUrn = (parent, type, name) => engineUrn(stack, project, parent, type, name);
}

/** Runs the program as the root stack resource's children, as `pulumi preview` does. */
export async function runInRootStack(init: () => Promise<Record<string, unknown>>): Promise<void> {
  await runtime.runInPulumiStack(init);
}

/** Resolves once every registration the program made has been answered. */
export function waitForRegistrations(): Promise<void> {
  return runtime.waitForRPCs();
}
