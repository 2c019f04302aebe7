import type { Rng } from '../rng.js';
import { GENOME_SCHEMA_ID, type Genome, type ScheduleRef, type Term } from '../genome/schema.js';
import { PAPER_RANDOM_GENOME, type GeneBounds } from '../presets/paper.js';
import type { ScheduleDefinition } from '../plugin/contracts.js';
import { NUMERIC_GENES, PAPER_SCHEDULE_FLAGS, scheduleIn, type GenomeSpace } from './space.js';

const R = PAPER_RANDOM_GENOME;

export function clampTo(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function clampGene(value: number, bounds: GeneBounds): number {
  return clampTo(value, bounds.min, bounds.max);
}

function randomParam(rng: Rng, min: number, max: number, integer: boolean | undefined): number {
  return integer ? rng.int(Math.ceil(min), Math.floor(max)) : rng.uniform(min, max);
}

/** Params for a schedule: kept from `previous` where names match, else drawn within bounds. */
export function scheduleParams(
  schedule: ScheduleDefinition,
  rng: Rng,
  previous: Readonly<Record<string, number>> = {},
): Record<string, number> {
  const params: Record<string, number> = {};
  for (const [name, spec] of Object.entries(schedule.meta.params)) {
    const kept = previous[name];
    if (kept !== undefined) params[name] = clampTo(kept, spec.min, spec.max);
    else if (name === 'warmupSteps')
      params[name] = clampTo(rng.int(R.warmupSteps.min, R.warmupSteps.max), spec.min, spec.max);
    else params[name] = randomParam(rng, spec.min, spec.max, spec.integer);
  }
  return params;
}

/** The schedule with the given paper flags, if the space allows it; otherwise any allowed one. */
export function scheduleForFlags(
  space: GenomeSpace,
  rng: Rng,
  warmup: boolean,
  cosine: boolean,
  previous: Readonly<Record<string, number>> = {},
): ScheduleRef {
  const wanted = Object.entries(PAPER_SCHEDULE_FLAGS).find(([, f]) => f.warmup === warmup && f.cosine === cosine)?.[0];
  const schedule = (wanted && scheduleIn(space, wanted)) || rng.pick(space.schedules);
  return { id: schedule.id, params: scheduleParams(schedule, rng, previous) };
}

export function randomTerm(space: GenomeSpace, rng: Rng): Term {
  return { primitive: rng.pick(space.primitives), alpha: rng.uniform(R.alpha.min, R.alpha.max) };
}

/** A random genome drawn as the paper draws its initial population. */
export function randomGenome(space: GenomeSpace, rng: Rng): Genome {
  const count = rng.int(R.terms.min, Math.min(R.terms.max, space.maxTerms));
  const terms = Array.from({ length: count }, () => randomTerm(space, rng));
  const lr = 10 ** rng.uniform(R.log10Lr.min, R.log10Lr.max);
  const beta1 = rng.uniform(R.beta1.min, R.beta1.max);
  const beta2 = rng.uniform(R.beta2.min, R.beta2.max);
  const eps = 10 ** rng.uniform(R.log10Eps.min, R.log10Eps.max);
  const weightDecay = 10 ** rng.uniform(R.log10WeightDecay.min, R.log10WeightDecay.max);
  const useM = rng.bool(R.pUseM);
  const useV = rng.bool(R.pUseV);
  const biasCorrection = rng.bool(R.pBiasCorrection);
  const clip = rng.bool(R.pClip) ? rng.uniform(R.clip.min, R.clip.max) : null;
  const warmup = rng.bool(R.pWarmup);
  const cosine = rng.bool(R.pCosine);
  const schedule = scheduleForFlags(space, rng, warmup, cosine);
  return {
    schema: GENOME_SCHEMA_ID,
    terms,
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    useM,
    useV,
    biasCorrection,
    clip,
    schedule,
  };
}

/** Forces every gene into the space's bounds (terms, α, numbers, clip, schedule and its params). */
export function clampGenome(genome: Genome, space: GenomeSpace, rng: Rng): Genome {
  const terms = genome.terms
    .slice(0, space.maxTerms)
    .map((t) => ({ ...t, alpha: clampTo(t.alpha, space.alpha.min, space.alpha.max) }));
  const numbers = Object.fromEntries(
    NUMERIC_GENES.map((gene) => [gene, clampGene(genome[gene], space.genes[gene])]),
  ) as Pick<Genome, (typeof NUMERIC_GENES)[number]>;
  const clip = genome.clip === null ? null : clampGene(genome.clip, space.genes.clip);
  const allowed = scheduleIn(space, genome.schedule.id);
  const schedule: ScheduleRef = allowed
    ? { id: allowed.id, params: scheduleParams(allowed, rng, genome.schedule.params) }
    : scheduleForFlags(space, rng, false, false);
  return { ...genome, ...numbers, terms, clip, schedule };
}
