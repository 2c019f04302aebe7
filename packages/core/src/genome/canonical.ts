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

/**
 * The primitive a term really computes under the genome's flags: without m (m = g) or without v
 * (v = g²) some primitives equal simpler ones, as their `meta.reducesTo` declares. Terms with
 * options are left alone, since the simpler primitive may not take them.
 */
function effectivePrimitive(
  term: Term,
  genome: Genome,
  lookups: CanonicalLookups,
  options: Record<string, unknown> | undefined,
): string {
  let id = term.primitive;
  if (options) return id;
  for (let hops = 0; hops < 8; hops++) {
    const reductions = lookups.primitives?.has(id) ? lookups.primitives.get(id).meta.reducesTo : undefined;
    const next = (!genome.useM && reductions?.withoutM) || (!genome.useV && reductions?.withoutV) || undefined;
    if (!next || !lookups.primitives?.has(next)) return id;
    id = next;
  }
  return id;
}

/** Term options without the keys that equal their defaults, or undefined when nothing is left. */
function canonicalOptions(term: Term, lookups: CanonicalLookups): Record<string, unknown> | undefined {
  const given = term.options ?? {};
  const definition = lookups.primitives?.has(term.primitive) ? lookups.primitives.get(term.primitive) : undefined;
  let options: Record<string, unknown> = given;
  if (definition?.meta.options) {
    const defaults = definition.meta.options.parse({}) as Record<string, unknown>;
    const full = definition.meta.options.parse(given) as Record<string, unknown>;
    options = Object.fromEntries(
      Object.entries(full).filter(([k, v]) => stableStringify(v) !== stableStringify(defaults[k])),
    );
  }
  const keys = Object.keys(options).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, options[k]]));
}

/**
 * The canonical form of a genome: primitives that reduce to simpler ones under the genome's
 * flags are replaced (momentum without m is grad), terms that share a primitive and options are
 * merged (their α summed), zero weights dropped, terms ordered by primitive id then options, and schedule params
 * filled with defaults. It computes the same update as the original, so it names the genome
 * in caches and logs. The result may have no terms (all weights cancelled).
 */
export function canonicalize(genome: Genome, lookups: CanonicalLookups = {}): Genome {
  const groups = new Map<
    string,
    { primitive: string; options: Record<string, unknown> | undefined; alphas: number[] }
  >();
  for (const term of genome.terms) {
    const options = canonicalOptions(term, lookups);
    const primitive = effectivePrimitive(term, genome, lookups, options);
    const key = `${primitive}${options ? stableStringify(options) : ''}`;
    const group = groups.get(key) ?? { primitive, options, alphas: [] };
    group.alphas.push(term.alpha);
    groups.set(key, group);
  }
  const terms = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    // Summing in sorted order makes the merged α independent of the terms' order (floating-point
    // addition is not associative).
    .map(([, g]): Term => ({
      primitive: g.primitive,
      alpha: [...g.alphas].sort((x, y) => x - y).reduce((a, b) => a + b, 0),
      ...(g.options ? { options: g.options } : {}),
    }))
    .filter((term) => term.alpha !== 0);

  const schedule = lookups.schedules?.has(genome.schedule.id) ? lookups.schedules.get(genome.schedule.id) : undefined;
  const params = schedule
    ? scheduleParamsWithDefaults(schedule, genome.schedule.params)
    : { ...genome.schedule.params };
  const sortedParams = Object.fromEntries(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k] as number]),
  );

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
  return createHash('sha256')
    .update(stableStringify(canonicalize(genome, lookups)))
    .digest('hex')
    .slice(0, 12);
}
