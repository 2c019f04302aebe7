import type { Rng } from '../rng.js';
import type { Genome, Term } from '../genome/schema.js';
import { PAPER_RANDOM_GENOME } from '../presets/paper.js';
import { clampGenome, clampTo, randomTerm, scheduleForFlags, scheduleParams } from './operators.js';
import { NUMERIC_GENES, PAPER_SCHEDULE_FLAGS, type GenomeSpace } from './space.js';
import type { GeneBounds } from '../presets/paper.js';

/** Mutation probabilities and step size, before annealing. */
export interface MutationRates {
  readonly pNum: number;
  readonly pStruct: number;
  readonly pFlag: number;
  readonly sigma: number;
  /** Rates are multiplied by 1 − anneal·generation/generations. */
  readonly anneal: number;
}

/** Schedule params move by N(0, σ·fraction·(max − min)); the paper is silent, this is ours. */
export const SCHEDULE_PARAM_SIGMA_FRACTION = 0.1;

/** The paper's annealing: every rate and σ shrink linearly to (1 − anneal) by the last generation. */
export function annealRates(rates: MutationRates, generation: number, generations: number): MutationRates {
  const factor = 1 - rates.anneal * (generation / Math.max(1, generations));
  return {
    pNum: rates.pNum * factor,
    pStruct: rates.pStruct * factor,
    pFlag: rates.pFlag * factor,
    sigma: rates.sigma * factor,
    anneal: rates.anneal,
  };
}

function perturb(value: number, bounds: GeneBounds, sigma: number, rng: Rng): number {
  if (bounds.scale === 'log10') {
    const log = Math.log10(value) + rng.normal(0, sigma * bounds.sigmaScale);
    return clampTo(10 ** log, bounds.min, bounds.max);
  }
  return clampTo(value + rng.normal(0, sigma * bounds.sigmaScale), bounds.min, bounds.max);
}

function mutateStructure(terms: Term[], space: GenomeSpace, rng: Rng): Term[] {
  const ops: ('add' | 'remove' | 'change')[] = ['change'];
  if (terms.length < space.maxTerms) ops.push('add');
  if (terms.length > 1) ops.push('remove');
  const op = rng.pick(ops);
  if (op === 'add') return [...terms, randomTerm(space, rng)];
  const index = rng.int(0, terms.length - 1);
  if (op === 'remove') return terms.filter((_, i) => i !== index);
  const others = space.primitives.filter((p) => p !== terms[index]?.primitive);
  if (others.length === 0) return terms;
  return terms.map((t, i) => (i === index ? { ...t, primitive: rng.pick(others) } : t));
}

function mutateSchedule(genome: Genome, space: GenomeSpace, rates: MutationRates, rng: Rng): Genome['schedule'] {
  let schedule = genome.schedule;
  const flags = PAPER_SCHEDULE_FLAGS[schedule.id];
  if (flags) {
    // The paper's two flags, flipped independently.
    const warmup = rng.bool(rates.pFlag) ? !flags.warmup : flags.warmup;
    const cosine = rng.bool(rates.pFlag) ? !flags.cosine : flags.cosine;
    if (warmup !== flags.warmup || cosine !== flags.cosine)
      schedule = scheduleForFlags(space, rng, warmup, cosine, schedule.params);
  }
  const others = space.schedules.filter((s) => s.id !== schedule.id);
  const beyondPaper = space.schedules.some((s) => !PAPER_SCHEDULE_FLAGS[s.id]);
  if (others.length > 0 && (beyondPaper || !flags) && rng.bool(rates.pFlag)) {
    // A switch to any other allowed schedule, so schedules beyond the paper's join the search.
    const target = rng.pick(others);
    schedule = { id: target.id, params: scheduleParams(target, rng, schedule.params) };
  }
  const definition = space.schedules.find((s) => s.id === schedule.id);
  if (!definition) return schedule;
  const params = { ...schedule.params };
  for (const [name, spec] of Object.entries(definition.meta.params)) {
    if (params[name] === undefined || !rng.bool(rates.pNum)) continue;
    const moved = clampTo(
      params[name] + rng.normal(0, rates.sigma * SCHEDULE_PARAM_SIGMA_FRACTION * (spec.max - spec.min)),
      spec.min,
      spec.max,
    );
    params[name] = spec.integer ? Math.round(moved) : moved;
  }
  return { id: schedule.id, params };
}

/**
 * The paper's mutation, with `rates` already annealed: Gaussian moves of the numbers, ×exp(N) on
 * each α, one structural change (add, remove or change a term), and flag flips (m, v, bias
 * correction, clipping, warmup, cosine). The result is clamped into the space.
 */
export function mutate(genome: Genome, space: GenomeSpace, rates: MutationRates, rng: Rng): Genome {
  const next: Genome = { ...genome, terms: genome.terms.map((t) => ({ ...t })) };
  for (const gene of NUMERIC_GENES) {
    if (rng.bool(rates.pNum)) next[gene] = perturb(next[gene], space.genes[gene], rates.sigma, rng);
  }
  if (next.clip !== null && rng.bool(rates.pNum)) next.clip = perturb(next.clip, space.genes.clip, rates.sigma, rng);
  next.terms = next.terms.map((t) =>
    rng.bool(rates.pNum)
      ? { ...t, alpha: clampTo(t.alpha * Math.exp(rng.normal(0, rates.sigma)), space.alpha.min, space.alpha.max) }
      : t,
  );
  if (rng.bool(rates.pStruct)) next.terms = mutateStructure(next.terms, space, rng);
  if (rng.bool(rates.pFlag)) next.useM = !next.useM;
  if (rng.bool(rates.pFlag)) next.useV = !next.useV;
  if (rng.bool(rates.pFlag)) next.biasCorrection = !next.biasCorrection;
  if (rng.bool(rates.pFlag)) {
    const { min, max } = PAPER_RANDOM_GENOME.clip;
    next.clip = next.clip === null ? rng.uniform(min, max) : null;
  }
  next.schedule = mutateSchedule(next, space, rates, rng);
  return clampGenome(next, space, rng);
}
