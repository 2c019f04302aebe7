import type { Rng } from '../rng.js';
import type { Genome } from '../genome/schema.js';
import { clampGenome } from './operators.js';
import { NUMERIC_GENES, type GenomeSpace } from './space.js';

/**
 * The paper's crossover: one-point on the term lists (a's head, b's tail, at most maxTerms, at
 * least one term), and each scalar, flag and the schedule taken from either parent.
 */
export function crossover(a: Genome, b: Genome, space: GenomeSpace, rng: Rng): Genome {
  const cutA = rng.int(0, a.terms.length);
  const cutB = rng.int(0, b.terms.length);
  let terms = [...a.terms.slice(0, cutA), ...b.terms.slice(cutB)].slice(0, space.maxTerms);
  if (terms.length === 0) terms = [rng.pick([...a.terms, ...b.terms])];
  const from = () => (rng.bool(0.5) ? a : b);
  const child: Genome = { ...a, terms: terms.map((t) => ({ ...t })) };
  for (const gene of NUMERIC_GENES) child[gene] = from()[gene];
  child.useM = from().useM;
  child.useV = from().useV;
  child.biasCorrection = from().biasCorrection;
  child.clip = from().clip;
  child.schedule = structuredClone(from().schedule);
  return clampGenome(child, space, rng);
}
