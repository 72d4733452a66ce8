import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PROJECT_NAME = 'transaction-processor';

export class StackConfigFileError extends Error {
  override readonly name = 'StackConfigFileError';
}

/**
 * Reads `Pulumi.<stack>.yaml` into the flat `namespace:key -> string` map the Pulumi runtime uses
 * (objects and lists JSON-encoded, as the CLI passes them in PULUMI_CONFIG). Keys without a
 * namespace belong to the project, as in the CLI.
 */
export function readStackConfig(stack: string, root = REPO_ROOT): Record<string, string> {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new StackConfigFileError(
      `No stack file ${path.relative(root, file)}: create it or pass --stack NAME.`,
    );
  }
  const doc = yaml.load(text) as { config?: Record<string, unknown> } | undefined;
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(doc?.config ?? {})) {
    const fullKey = key.includes(':') ? key : `${PROJECT_NAME}:${key}`;
    flat[fullKey] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return flat;
}
