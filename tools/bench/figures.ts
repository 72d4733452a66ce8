/**
 * Every number of a bench run as a figure with a stable id, for `npm run bench -- --json FILE`
 * (DESIGN.md, "Figures are machine-readable"). A table row is built from its figures: the value a
 * figure carries is rounded to the digits the row shows, so the JSON and the Markdown say the same
 * number, and a row whose text lacks one of its figures is refused before anything is written.
 * Pure, so it is unit-tested.
 */
import type { Row } from './report';

export interface Figure {
  /** Stable kebab-case id, e.g. `detector-vs-validator-ratio`. */
  readonly id: string;
  /** Rounded to `digits`, as the table shows it. */
  readonly value: number;
  readonly unit: string;
  /** What the value should be, in words, or null when it is for comparison only. */
  readonly goal: string | null;
  readonly digits: number;
}

/** A table row and the figures it shows. */
export interface Measure {
  readonly row: Row;
  readonly figures: readonly Figure[];
}

export interface RunMetadata {
  readonly commit: string;
  /** True when the work tree had uncommitted changes to tracked files. */
  readonly dirty: boolean;
  readonly date: string;
  readonly machine: {
    readonly description: string;
    readonly cpu: string;
    readonly logicalCores: number;
    readonly memoryGiB: number;
    readonly platform: string;
    readonly release: string;
    readonly node: string;
  };
  readonly options: Readonly<Record<string, number | boolean>>;
}

export interface BenchJson {
  readonly schema: 1;
  /** The run's commit and machine, also at the top level, where issue #14's format puts them. */
  readonly commit: string;
  readonly machine: RunMetadata['machine'];
  readonly run: RunMetadata;
  readonly figures: readonly (Omit<Figure, 'digits'> & {
    /** Whether the value meets a goal that states a bound; null for a goal in words, or none. */
    readonly met: boolean | null;
    readonly measure: string;
  })[];
  /** Sections that could not run: their rows say so and they have no figures. */
  readonly failures: readonly string[];
}

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A figure rounded to the digits its row shows; refuses a malformed id or a value that is not a number. */
export function figure(
  id: string,
  raw: number,
  unit: string,
  options: { digits?: number; goal?: string | null } = {},
): Figure {
  if (!KEBAB.test(id)) throw new Error(`Figure id "${id}" is not kebab-case.`);
  if (!Number.isFinite(raw)) throw new Error(`Figure ${id} is not a finite number (${raw}).`);
  const digits = options.digits ?? 0;
  const value = Number(raw.toFixed(digits));
  // -0 would print as "-0" in JSON consumers' eyes and "0" in the table.
  return { id, value: Object.is(value, -0) ? 0 : value, unit, goal: options.goal ?? null, digits };
}

/** The figure as the table shows it: en-US grouping, exactly `digits` decimals. */
export function shown(f: Figure): string {
  return f.value.toLocaleString('en-US', {
    minimumFractionDigits: f.digits,
    maximumFractionDigits: f.digits,
  });
}

/** Figures whose shown value does not appear in their row's text (a row that says another number). */
export function unshownFigures(measure: Measure): Figure[] {
  const text = measure.row.join(' | ');
  return measure.figures.filter((f) => !containsNumber(text, shown(f)));
}

/** True when `number` occurs in `text` as a whole number token (so "1.5" is not found in "11.52"). */
function containsNumber(text: string, number: string): boolean {
  const escaped = number.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^0-9.,])${escaped}($|[^0-9]|[.,](?![0-9]))`).test(text);
}

/** Refuses measures whose figures are not in their rows, and ids used twice. */
export function checkMeasures(measures: readonly Measure[]): void {
  const seen = new Set<string>();
  for (const m of measures) {
    const missing = unshownFigures(m);
    if (missing.length > 0) {
      throw new Error(
        `The row "${m.row[0]}" does not show ${missing.map((f) => `${f.id} = ${shown(f)}`).join(', ')}.`,
      );
    }
    for (const f of m.figures) {
      if (seen.has(f.id)) throw new Error(`Figure id ${f.id} is used twice.`);
      seen.add(f.id);
    }
  }
}

/** A goal that states a bound: `<= 15 µs (batches)`, `>= 1 (the detector keeps up)`, `< 200 MB`. */
const BOUND = /^(<=|>=|<|>)\s*(-?[0-9][0-9,]*(?:\.[0-9]+)?)(?![0-9])/;

/**
 * Whether `value` (as the table shows it) meets `goal`; null when the goal states no bound (`feeds
 * the SLA projection`) or there is none.
 */
export function goalMet(value: number, goal: string | null): boolean | null {
  const bound = goal === null ? null : BOUND.exec(goal.trim());
  if (!bound) return null;
  const limit = Number(bound[2].replace(/,/g, ''));
  switch (bound[1]) {
    case '<=':
      return value <= limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    default:
      return value > limit;
  }
}

/** The JSON document of a run: every figure in table order, with the row it belongs to. */
export function benchJson(
  measures: readonly Measure[],
  run: RunMetadata,
  failures: readonly string[] = [],
): BenchJson {
  checkMeasures(measures);
  return {
    schema: 1,
    commit: run.commit,
    machine: run.machine,
    run,
    figures: measures.flatMap((m) =>
      m.figures.map((f) => ({
        id: f.id,
        value: f.value,
        unit: f.unit,
        goal: f.goal,
        met: goalMet(f.value, f.goal),
        measure: m.row[0],
      })),
    ),
    failures: [...failures],
  };
}
