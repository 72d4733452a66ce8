/**
 * A policy pack's `PulumiPolicy.yaml`, read as the Pulumi CLI reads it before it starts the pack:
 * a byte-order mark is stripped, `runtime` is required (a name, or `{ name, options }`), and the
 * Node.js language host's runtime options are parsed with its rules and messages. `version`, when
 * set, overrides the version the pack reports (its package.json's) in its info and in every
 * diagnostic, and `description` stands in for a pack that reports none.
 * Sources (pulumi/pulumi): sdk/go/common/workspace/loaders.go LoadPolicyPack and project.go
 * PolicyPackProject; sdk/go/common/resource/plugin/analyzer_plugin.go NewPolicyAnalyzer and
 * GetAnalyzerInfo; sdk/nodejs/cmd/pulumi-language-nodejs/main.go parseOptions and RunPlugin.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { PackStartError } from './errors';

export interface PackProject {
  /** `nodejs` is the only runtime the gate can start (the CLI also runs python and other hosts). */
  runtime: string;
  /** PULUMI_NODEJS_TYPESCRIPT: true unless `typescript: false` (the language host's default). */
  typescript: boolean;
  /** PULUMI_NODEJS_TSCONFIG_PATH, from the `tsconfig` option. */
  tsconfig?: string;
  /** The `nodeargs` option, split as a shell would. */
  nodeargs: string[];
  /** Overrides the pack's own version everywhere the CLI shows it. */
  version?: string;
  description?: string;
}

/** Reads `<packDir>/PulumiPolicy.yaml`, refusing what the CLI refuses, in its words. */
export function readPackProject(packDir: string): PackProject {
  const file = path.join(packDir, 'PulumiPolicy.yaml');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new PackStartError(`${packDir} is not a policy pack (no PulumiPolicy.yaml)`);
  }
  const fail = (reason: string) =>
    new PackStartError(`failed to load Pulumi policy project located at "${packDir}": ${reason}`);
  let doc: unknown;
  try {
    doc = yaml.load(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw fail((e as Error).message.split('\n')[0]);
  }
  const project = (doc ?? {}) as Record<string, unknown>;
  if (typeof project !== 'object' || Array.isArray(project)) throw fail('the file is not a mapping');
  const { name, options } = runtimeOf(project.runtime);
  if (!name) throw fail("project is missing a 'runtime' attribute");
  if (name !== 'nodejs') {
    throw new PackStartError(
      `policy pack at "${packDir}" has runtime "${name}"; the gate starts Node.js packs only (runtime: nodejs)`,
    );
  }
  return {
    runtime: name,
    ...nodeOptions(options),
    version: stringField(project.version),
    description: stringField(project.description),
  };
}

function runtimeOf(v: unknown): { name?: string; options: Record<string, unknown> } {
  if (typeof v === 'string') return { name: v, options: {} };
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const r = v as Record<string, unknown>;
    const options = typeof r.options === 'object' && r.options !== null ? r.options : {};
    return { name: stringField(r.name), options: options as Record<string, unknown> };
  }
  return { options: {} };
}

function stringField(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** The language host's parseOptions: the same checks, the same messages. */
function nodeOptions(o: Record<string, unknown>): Pick<PackProject, 'typescript' | 'tsconfig' | 'nodeargs'> {
  const bad = (message: string) => new PackStartError(`policy pack runtime options: ${message}`);
  if (o.typescript !== undefined && typeof o.typescript !== 'boolean')
    throw bad('typescript option must be a boolean');
  if (o.tsconfig !== undefined && typeof o.tsconfig !== 'string')
    throw bad('tsconfigpath option must be a string');
  if (o.nodeargs !== undefined && typeof o.nodeargs !== 'string')
    throw bad('nodeargs option must be a string');
  return {
    typescript: (o.typescript as boolean | undefined) ?? true,
    tsconfig: stringField(o.tsconfig),
    nodeargs: shellSplit((o.nodeargs as string | undefined) ?? ''),
  };
}

/** Splits like a POSIX shell (quotes and backslashes), as the language host's shlex.Split does. */
export function shellSplit(s: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < s.length) word += s[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < s.length) {
      word = (word ?? '') + s[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote) throw new PackStartError(`policy pack runtime options: nodeargs has an unclosed ${quote}`);
  if (word !== undefined) words.push(word);
  return words;
}
