import type { EvoptConfigInput } from './schema.js';

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A fresh copy of plain objects and arrays, so merged configs never share state with presets. */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)]));
  return value;
}

/**
 * A reference such as `{ id: 'rank', options: {...} }` whose id differs from the base's is a
 * different contribution: its options must not inherit the old one's (tournament's `k` means
 * nothing to rank selection).
 */
function replacesContribution(base: Plain, override: Plain): boolean {
  return typeof override['id'] === 'string' && override['id'] !== base['id'];
}

function mergeValues(base: unknown, override: unknown): unknown {
  if (override === undefined) return copy(base);
  if (isPlainObject(base) && isPlainObject(override) && !replacesContribution(base, override)) {
    const out: Plain = {};
    for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) {
      const merged = mergeValues(base[key], override[key]);
      if (merged !== undefined) out[key] = merged;
    }
    return out;
  }
  return copy(override);
}

function appendUnique(base: readonly string[] | undefined, extra: readonly string[] | undefined): string[] | undefined {
  if (base === undefined && extra === undefined) return undefined;
  return [...new Set([...(base ?? []), ...(extra ?? [])])];
}

/**
 * Lays `override` over `base` and returns a new config; neither input is changed.
 *
 * The rule, used for preset ← config file ← command-line flags:
 * - A key that `override` leaves out (or sets to `undefined`) keeps the base's value.
 * - Objects merge key by key, at every depth (`ga: { generations: 10 }` keeps the preset's
 *   populationSize). An object whose `id` differs from the base's replaces it whole, so
 *   `selection: { id: 'rank' }` does not inherit tournament's options.
 * - Arrays and scalars replace (`tasks: [...]` replaces the preset's tasks; `null` replaces too).
 * - Except `plugins`, which are appended to the base's, without duplicates, so naming one extra
 *   plugin never drops the built-ins.
 */
export function mergeConfig(base: EvoptConfigInput, override: EvoptConfigInput): EvoptConfigInput {
  const { plugins: basePlugins, ...baseRest } = base;
  const { plugins: extraPlugins, ...overrideRest } = override;
  const merged = mergeValues(baseRest, overrideRest) as EvoptConfigInput;
  const plugins = appendUnique(basePlugins, extraPlugins);
  return plugins === undefined ? merged : { ...merged, plugins };
}
