/**
 * Typed readers of environment variables. Functions call them once at cold start (module
 * scope), so a misconfigured deployment fails on its first invocation with a message naming
 * the variable, instead of misbehaving later.
 */
import { ConfigurationError } from './errors';

type Env = Record<string, string | undefined>;

const read = (name: string, env: Env): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

/** The variable's value; throws ConfigurationError when it is unset or blank. */
export const requireEnv = (name: string, env: Env = process.env): string => {
  const value = read(name, env);
  if (value === undefined) {
    throw new ConfigurationError(`Environment variable ${name} is required but is not set.`);
  }
  return value;
};

/** An optional string with a default. */
export const stringEnv = (name: string, fallback: string, env: Env = process.env): string =>
  read(name, env) ?? fallback;

/** A finite number (default when unset); throws when set to something that is not a number. */
export const numberEnv = (
  name: string,
  fallback: number,
  env: Env = process.env,
  bounds: { min?: number; max?: number } = {},
): number => {
  const raw = read(name, env);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigurationError(`Environment variable ${name} must be a number, got "${raw}".`);
  }
  if (bounds.min !== undefined && value < bounds.min) {
    throw new ConfigurationError(`Environment variable ${name} must be >= ${bounds.min}, got ${value}.`);
  }
  if (bounds.max !== undefined && value > bounds.max) {
    throw new ConfigurationError(`Environment variable ${name} must be <= ${bounds.max}, got ${value}.`);
  }
  return value;
};

/** A whole number (default when unset); throws when set to a fraction or a non-number. */
export const intEnv = (
  name: string,
  fallback: number,
  env: Env = process.env,
  bounds: { min?: number; max?: number } = {},
): number => {
  const value = numberEnv(name, fallback, env, bounds);
  if (!Number.isInteger(value)) {
    throw new ConfigurationError(`Environment variable ${name} must be a whole number, got ${value}.`);
  }
  return value;
};

/** A comma-separated list, trimmed, blanks dropped (default when unset). */
export const listEnv = (name: string, fallback: readonly string[], env: Env = process.env): string[] => {
  const raw = read(name, env);
  if (raw === undefined) return [...fallback];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
};

/** A JSON object of string -> string (e.g. API key id -> merchant id); throws when malformed. */
export const jsonMapEnv = (name: string, env: Env = process.env): Record<string, string> => {
  const raw = requireEnv(name, env);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigurationError(
      `Environment variable ${name} must be a JSON object, and is not valid JSON.`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigurationError(`Environment variable ${name} must be a JSON object of strings.`);
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.some(([, value]) => typeof value !== 'string')) {
    throw new ConfigurationError(`Environment variable ${name} must map strings to strings.`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
};
