/**
 * `flotilla taint` arguments with kubectl taint semantics: `KEY[=VALUE]:EFFECT` adds a taint or
 * replaces the one with the same key and effect; `KEY:EFFECT-` removes that taint and `KEY-`
 * every taint with the key. Keys must be label keys, values label values, effects one of
 * NoSchedule, PreferNoSchedule, NoExecute. Pure: parsing and applying to a taint list.
 */
import { isValidLabelValue } from '../api/validation/names.js';
import { validateLabelName } from '../api/validation/objectmeta.js';
import type { Taint } from '../api/taints.js';

/** The effects a cluster taint may have. */
export const TAINT_EFFECTS: readonly string[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** A taint argument that cannot be parsed, or arguments that contradict each other. */
export class TaintSpecError extends Error {
  override readonly name = 'TaintSpecError';
}

/** A taint to remove: every effect of `key` when `effect` is absent. */
export interface TaintRemoval {
  key: string;
  effect?: string;
}

/** What a `flotilla taint` call asks for. */
export interface TaintChanges {
  add: Taint[];
  remove: TaintRemoval[];
}

/** Parses taint arguments; throws `TaintSpecError` naming the first bad one. */
export function parseTaintArgs(args: readonly string[]): TaintChanges {
  const changes: TaintChanges = { add: [], remove: [] };
  for (const arg of args) {
    if (arg.endsWith('-')) changes.remove.push(parseRemoval(arg));
    else changes.add.push(parseAddition(arg));
  }
  const seen = new Set<string>();
  for (const t of changes.add) {
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) throw new TaintSpecError(`taint ${id} is given twice`);
    seen.add(id);
    if (changes.remove.some((r) => r.key === t.key && (r.effect === undefined || r.effect === t.effect)))
      throw new TaintSpecError(`taint ${id} cannot be both added and removed`);
  }
  return changes;
}

function parseAddition(arg: string): Taint {
  const colon = arg.lastIndexOf(':');
  if (colon < 0)
    throw new TaintSpecError(`invalid taint "${arg}": must be KEY[=VALUE]:EFFECT or KEY[:EFFECT]-`);
  const effect = checkEffect(arg, arg.slice(colon + 1));
  const keyValue = arg.slice(0, colon);
  const eq = keyValue.indexOf('=');
  const key = checkKey(arg, eq < 0 ? keyValue : keyValue.slice(0, eq));
  const value = eq < 0 ? '' : keyValue.slice(eq + 1);
  const problem = isValidLabelValue(value)[0];
  if (problem) throw new TaintSpecError(`invalid taint "${arg}": value "${value}": ${problem}`);
  return { key, ...(value ? { value } : {}), effect };
}

function parseRemoval(arg: string): TaintRemoval {
  const spec = arg.slice(0, -1);
  const colon = spec.indexOf(':');
  const key = checkKey(arg, colon < 0 ? spec : spec.slice(0, colon));
  return colon < 0 ? { key } : { key, effect: checkEffect(arg, spec.slice(colon + 1)) };
}

function checkKey(arg: string, key: string): string {
  const problem = validateLabelName(key, 'key')[0];
  if (problem) throw new TaintSpecError(`invalid taint "${arg}": key "${key}": ${problem.detail}`);
  return key;
}

function checkEffect(arg: string, effect: string): string {
  if (!TAINT_EFFECTS.includes(effect))
    throw new TaintSpecError(
      `invalid taint "${arg}": effect must be one of ${TAINT_EFFECTS.join(', ')}, got "${effect}"`,
    );
  return effect;
}

/**
 * `taints` with `changes` applied: additions replace the taint of the same key and effect in
 * place or are appended; removals drop what they match. `missing` lists the removals that matched
 * nothing (as `KEY` or `KEY:EFFECT`).
 */
export function applyTaintChanges(
  taints: readonly Taint[],
  changes: TaintChanges,
): { taints: Taint[]; missing: string[] } {
  const matches = (r: TaintRemoval, t: Taint): boolean =>
    t.key === r.key && (r.effect === undefined || t.effect === r.effect);
  const missing = changes.remove
    .filter((r) => !taints.some((t) => matches(r, t)))
    .map((r) => (r.effect ? `${r.key}:${r.effect}` : r.key));
  const out = taints.filter((t) => !changes.remove.some((r) => matches(r, t))).map((t) => ({ ...t }));
  for (const add of changes.add) {
    const i = out.findIndex((t) => t.key === add.key && t.effect === add.effect);
    if (i < 0) out.push({ ...add });
    else out[i] = { ...add };
  }
  return { taints: out, missing };
}
