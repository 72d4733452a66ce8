/**
 * Typed errors of the gate. Every one of them means "the gate could not run" (exit code 2) and
 * carries a one-line message meant for the user; the CLI prints the message, never a stack.
 */

/** Bad input given by the user: a file, an option or a config value. */
export class GateInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GateInputError';
  }
}

/** The policy pack could not be started or stopped answering; `stderr` is what it printed. */
export class PackStartError extends Error {
  constructor(
    message: string,
    readonly stderr = '',
  ) {
    super(stderr.trim() ? `${message}: ${lastLines(stderr, 5)}` : message);
    this.name = 'PackStartError';
  }
}

/** The pack answered a gRPC call with an error (a policy threw, or the request was rejected). */
export class AnalyzerCallError extends Error {
  constructor(
    method: string,
    detail: string,
    /** The gRPC status code the call ended with, when the pack answered one. */
    readonly code?: number,
  ) {
    super(`policy pack failed in ${method}: ${headline(detail)}`);
    this.name = 'AnalyzerCallError';
  }
}

/** The stack program could not be synthesized under mocks (bad stack config, program error). */
export class SynthesisError extends Error {
  constructor(detail: string) {
    super(`the stack program could not be evaluated: ${firstLine(detail)}`);
    this.name = 'SynthesisError';
  }
}

export type GateError = GateInputError | PackStartError | AnalyzerCallError | SynthesisError;

export function isGateError(e: unknown): e is GateError {
  return (
    e instanceof GateInputError ||
    e instanceof PackStartError ||
    e instanceof AnalyzerCallError ||
    e instanceof SynthesisError
  );
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? text
  );
}

/**
 * The first line of a pack's error, and the next one when the first only introduces it: a policy
 * that throws is reported as "Error validating resource with policy '…':" then the error's stack.
 */
function headline(text: string): string {
  const [first, second] = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  if (first === undefined) return text;
  return first.endsWith(':') && second !== undefined ? `${first} ${second}` : first;
}

/** The pack's stderr without colours and stack frames: the lines that say what went wrong. */
function lastLines(text: string, n: number): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- ANSI colour codes are made of control characters
      .replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0 && !/^at\s/.test(l) && !/^\^+$/.test(l))
      .slice(-n)
      .join(' | ')
  );
}
