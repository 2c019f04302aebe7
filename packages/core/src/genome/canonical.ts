import { createHash } from 'node:crypto';
import type { PrimitiveDefinition, ScheduleDefinition } from '../plugin/contracts.js';
import type { ReadonlyRegistry } from '../registry/registry.js';
import type { Genome, Term } from './schema.js';
import { scheduleParamsWithDefaults } from './step.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- registries hold contributions of any options type */
export interface CanonicalLookups {
  readonly primitives?: ReadonlyRegistry<PrimitiveDefinition<any>>;
  readonly schedules?: ReadonlyRegistry<ScheduleDefinition>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** JSON with object keys sorted, so equal values always serialize to equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** Term options without the keys that equal their defaults, or undefined when nothing is left. */
function canonicalOptions(term: Term, lookups: CanonicalLookups): Record<string, unknown> | undefined {
  const given = term.options ?? {};
  const definition = lookups.primitives?.has(term.primitive) ? lookups.primitives.get(term.primitive) : undefined;
  let options: Record<string, unknown> = given;
  if (definition?.meta.options) {
    const defaults = definition.meta.options.parse({}) as Record<string, unknown>;
    const full = definition.meta.options.parse(given) as Record<string, unknown>;
    options = Object.fromEntries(Object.entries(full).filter(([k, v]) => stableStringify(v) !== stableStringify(defaults[k])));
  }
  const keys = Object.keys(options).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, options[k]]));
}

/**
 * The canonical form of a genome: terms that share a primitive and options are merged (their α
 * summed), zero weights dropped, terms ordered by primitive id then options, and schedule params
 * filled with defaults. It computes the same update as the original, so it names the genome
 * in caches and logs. The result may have no terms (all weights cancelled).
 */
export function canonicalize(genome: Genome, lookups: CanonicalLookups = {}): Genome {
  const merged = new Map<string, Term>();
  for (const term of genome.terms) {
    const options = canonicalOptions(term, lookups);
    const key = `${term.primitive}${options ? stableStringify(options) : ''}`;
    const existing = merged.get(key);
    merged.set(key, {
      primitive: term.primitive,
      alpha: (existing?.alpha ?? 0) + term.alpha,
      ...(options ? { options } : {}),
    });
  }
  const terms = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, term]) => term)
    // Only an exact zero is dropped: a tiny weight on a term like m/(√s+ε) can still move weights.
    .filter((term) => term.alpha !== 0);

  const schedule = lookups.schedules?.has(genome.schedule.id) ? lookups.schedules.get(genome.schedule.id) : undefined;
  const params = schedule ? scheduleParamsWithDefaults(schedule, genome.schedule.params) : { ...genome.schedule.params };
  const sortedParams = Object.fromEntries(Object.keys(params).sort().map((k) => [k, params[k] as number]));

  return {
    schema: genome.schema,
    terms,
    lr: genome.lr,
    beta1: genome.beta1,
    beta2: genome.beta2,
    eps: genome.eps,
    weightDecay: genome.weightDecay,
    useM: genome.useM,
    useV: genome.useV,
    biasCorrection: genome.biasCorrection,
    clip: genome.clip,
    schedule: { id: genome.schedule.id, params: sortedParams },
  };
}

/** A stable 12-hex-digit name for a genome: sha256 of its canonical form. */
export function genomeHash(genome: Genome, lookups: CanonicalLookups = {}): string {
  return createHash('sha256').update(stableStringify(canonicalize(genome, lookups))).digest('hex').slice(0, 12);
}
