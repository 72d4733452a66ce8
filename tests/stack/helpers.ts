import { SynthResource, SynthResult } from '../../gate/synth/synthesize';

/** Resources of one type, failing loudly when there are none so a rename cannot pass silently. */
export function ofType(result: SynthResult, type: string): SynthResource[] {
  const found = result.resources.filter((r) => r.type === type);
  if (found.length === 0) throw new Error(`no resource of type ${type} was registered`);
  return found;
}

export function oneOfType(result: SynthResult, type: string): SynthResource {
  const found = ofType(result, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

export function byName(result: SynthResource[], name: string): SynthResource {
  const found = result.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name}`);
  return found;
}

/** Input `key` of a resource, typed loosely for assertions. */
export function input<T = unknown>(resource: SynthResource, key: string): T {
  return resource.inputs[key] as T;
}

/** AWS resources that accept a `tags` input (the provider resource itself is configured, not tagged). */
export function isTaggable(resource: SynthResource): boolean {
  return resource.custom && resource.type.startsWith('aws:') && 'tags' in resource.inputs;
}
