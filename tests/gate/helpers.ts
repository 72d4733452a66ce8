/** Shared helpers for the gate tests: small resources, state documents and temp directories. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GateInput, GateResource } from '../../gate/types';

export const FIXTURE_PACK = path.join(__dirname, 'fixtures', 'pack');
export const BROKEN_PACK = path.join(__dirname, 'fixtures', 'broken-pack');
export const FAULTY_PACK = path.join(__dirname, 'fixtures', 'faulty-pack');
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const PREFIX = 'urn:pulumi:dev::proj::';
export const STACK_URN = `${PREFIX}pulumi:pulumi:Stack::proj-dev`;

export function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
  extra: Partial<GateResource> = {},
): GateResource {
  return {
    urn: `${PREFIX}${type}::${name}`,
    type,
    name,
    custom: type !== 'pulumi:pulumi:Stack',
    inputs,
    dependencies: [],
    options: {},
    ...extra,
  };
}

export function fixtureInput(resources: GateResource[]): GateInput {
  return {
    project: 'proj',
    stack: 'dev',
    mode: 'preview',
    source: 'test',
    resources: [resource('pulumi:pulumi:Stack', 'proj-dev'), ...resources],
  };
}

export function tempDir(prefix = 'gate-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function readLines(file: string): Record<string, unknown>[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
