/**
 * Which deployed pipeline `npm run redrive -- --stack NAME` works on, from the stack file alone:
 * `Pulumi.NAME.yaml` gives the environment suffix (and an `aws:profile`, if it sets one), and
 * stackNames gives every physical name from it, exactly as the program names the resources. So the
 * command needs no Pulumi CLI, login or state backend, and does not synthesize the program.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readStackConfig, REPO_ROOT, StackConfigFileError } from '../../gate/synth/stack-config';
import { REGION } from '../../stack/config';
import { stackNames, SUFFIX_PATTERN } from '../../stack/naming';

/** The stack file is missing or names no usable environment suffix. */
export class StackFileError extends Error {
  override readonly name = 'StackFileError';
}

/** One function whose failures go to a queue of its own. */
export interface FailingFunction {
  readonly functionName: string;
  readonly queueName: string;
}

export interface AwsStack {
  readonly stack: string;
  readonly region: string;
  /** The stack file's `aws:profile`: what `pulumi up` deployed with, so the same account. */
  readonly profile?: string;
  readonly bucket: string;
  readonly validator: FailingFunction;
  readonly anomaly: FailingFunction;
}

/** The stacks of this project: `Pulumi.<stack>.yaml` beside Pulumi.yaml. */
function stacksIn(root: string): string[] {
  return readdirSync(root)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined);
}

function configOf(stack: string, root: string): Record<string, string> {
  try {
    return readStackConfig(stack, root);
  } catch (error) {
    if (!(error instanceof StackConfigFileError)) throw error;
    const known = stacksIn(root);
    throw new StackFileError(
      `no stack file ${join(root, `Pulumi.${stack}.yaml`)}: --stack takes a stack of this project ` +
        `(${known.length > 0 ? `here: ${known.join(', ')}` : 'none has a stack file yet'}).`,
    );
  }
}

function failingFunction(names: ReturnType<typeof stackNames>, purpose: 'validator' | 'anomaly') {
  const fn = names.functions[purpose];
  // naming.ts gives both of these a failure queue (FAILURE_QUEUE_PURPOSES).
  return { functionName: fn.function, queueName: fn.failureQueue! };
}

/** The deployed stack's names, region and profile, read from `Pulumi.<stack>.yaml` under `root`. */
export function readAwsStack(stack: string, root = REPO_ROOT): AwsStack {
  const config = configOf(stack, root);
  const suffix = config['transaction-processor:environmentSuffix'];
  if (!suffix || !SUFFIX_PATTERN.test(suffix)) {
    throw new StackFileError(
      `Pulumi.${stack}.yaml sets no valid transaction-processor:environmentSuffix, which names every ` +
        'resource of the stack.',
    );
  }
  const names = stackNames(suffix);
  return {
    stack,
    region: REGION,
    profile: config['aws:profile'] || undefined,
    bucket: names.bucket,
    validator: failingFunction(names, 'validator'),
    anomaly: failingFunction(names, 'anomaly'),
  };
}
