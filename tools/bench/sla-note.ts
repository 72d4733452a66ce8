/** The SLA projection's note: the model of the stored time, with the figures it was computed from. */
import type { FunctionDefinition } from '../local/definitions';
import { FULL_VCPU_MB, type SlaProjection } from './sla';
import type { ValidatorCoreBench } from './validator-core';

export function slaNote(
  p: SlaProjection,
  core: ValidatorCoreBench,
  validator: Pick<FunctionDefinition, 'memoryMb' | 'timeoutSeconds'>,
  stopMarginSeconds: number,
  writeUnitsPerSecond: number,
): string {
  const n = (value: number) => Math.round(value).toLocaleString('en-US');
  const share = `x ${validator.memoryMb}/${FULL_VCPU_MB} vCPU share at ${validator.memoryMb} MB`;
  const stopAt = validator.timeoutSeconds - stopMarginSeconds;
  return (
    `SLA projection, stored: total = checking pass + slowest stage of the storing pass + fixed = ` +
    `${p.checkingPassSeconds.toFixed(0)} + ${Math.max(p.cpuSeconds, p.writeSeconds).toFixed(0)} + ` +
    `${p.fixedSeconds.toFixed(1)} s. The checking pass (decode, parse, header, row count) runs before anything is ` +
    `written: rows / (its rows/s measured here, ${n(core.checkPass.rowsPerSecond)}, ${share}) = ` +
    `${p.checkingPassSeconds.toFixed(0)} s. The storing pass writes one batch while it parses the next, so it takes ` +
    `the slower of CPU = rows / (core rows/s ${share}) + the write client's CPU per row at the same share = ` +
    `${p.cpuSeconds.toFixed(0)} s, and writes = rows / ${n(writeUnitsPerSecond)} WRU/s (the transactions table's warm ` +
    `throughput, config tableWarmWritesPerSecond; a new on-demand table would serve 4,000; one unit per ` +
    `conditional insert) = ${p.writeSeconds.toFixed(0)} s. Fixed = module init + 1 s. A new file reads nothing ` +
    '(only existing keys are read back). ' +
    `The validator stops taking rows ${stopMarginSeconds} s before its ` +
    `${validator.timeoutSeconds} s timeout, so a file must finish by ${stopAt} s.`
  );
}
