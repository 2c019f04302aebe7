import * as tf from '@tensorflow/tfjs-core';
import {
  learningRate,
  stableStringify,
  type BoundGenome,
  type PrimitiveTerm,
  type ReadonlyRegistries,
} from '@evopt/core';

/** One distinct (primitive, options) of a population: computed once per step for every member. */
export interface UnionTerm {
  /** `primitive` plus its parsed options, as stable JSON. */
  readonly key: string;
  readonly term: PrimitiveTerm;
  /** uses[p]: whether member p's genome has this term (at any position). */
  readonly uses: readonly boolean[];
}

/**
 * How P genomes of different structure map onto one stacked update: the union of their terms,
 * and for each term position j (a genome's j-th term) which union term each member takes there
 * and with which α. Summing the positions in order keeps each genome's own order of additions,
 * so the stacked direction equals the genome's direction exactly, not merely up to rounding.
 */
export interface PopulationPlan {
  readonly size: number;
  readonly terms: readonly UnionTerm[];
  /** positions[j][p]: index into `terms` of member p's j-th term, or −1 when it has fewer terms. */
  readonly positions: readonly (readonly number[])[];
  /** alphas[j][p]: α of member p's j-th term, 0 when it has none. */
  readonly alphas: readonly (readonly number[])[];
}

type Lookups = Pick<ReadonlyRegistries, 'primitives'>;

export function planPopulation(bound: readonly BoundGenome[], registries: Lookups): PopulationPlan {
  const terms: { key: string; term: PrimitiveTerm; uses: boolean[] }[] = [];
  const byKey = new Map<string, number>();
  const length = Math.max(...bound.map((b) => b.terms.length));
  const positions = Array.from({ length }, () => bound.map(() => -1));
  const alphas = Array.from({ length }, () => bound.map(() => 0));
  bound.forEach((genome, member) => {
    genome.terms.forEach(({ primitive, term, alpha }, position) => {
      const key = termKey(primitive, genome.genome.terms[position]?.options, registries);
      let index = byKey.get(key);
      if (index === undefined) {
        index = terms.length;
        byKey.set(key, index);
        terms.push({ key, term, uses: bound.map(() => false) });
      }
      (terms[index] as { uses: boolean[] }).uses[member] = true;
      (positions[position] as number[])[member] = index;
      (alphas[position] as number[])[member] = alpha;
    });
  });
  return { size: bound.length, terms, positions, alphas };
}

function termKey(
  primitive: string,
  options: Readonly<Record<string, unknown>> | undefined,
  registries: Lookups,
): string {
  const schema = registries.primitives.get(primitive).meta.options;
  // Parsed options fill in defaults, so `{}` and the defaults spelled out share one term.
  return `${primitive}${stableStringify(schema ? schema.parse(options ?? {}) : {})}`;
}

/** Per-member numbers of one step, in JS doubles exactly as core's `genomeStep` computes them. */
export interface StepNumbers {
  readonly eta: readonly number[];
  /** 1 − η·wd where the genome decays weights, else 1 (a multiplication by 1 is exact). */
  readonly decay: readonly number[];
  /** 1 − β1^(t+1) where the genome bias-corrects m, else 1. */
  readonly mCorrection: readonly number[];
  readonly vCorrection: readonly number[];
}

export function stepNumbers(bound: readonly BoundGenome[], step: number, totalSteps: number): StepNumbers {
  const eta = bound.map((b) => learningRate(b, step, totalSteps));
  return {
    eta,
    decay: bound.map(({ genome }, p) => (genome.weightDecay > 0 ? 1 - (eta[p] as number) * genome.weightDecay : 1)),
    mCorrection: bound.map(({ genome }) => (genome.biasCorrection && genome.useM ? 1 - genome.beta1 ** (step + 1) : 1)),
    vCorrection: bound.map(({ genome }) => (genome.biasCorrection && genome.useV ? 1 - genome.beta2 ** (step + 1) : 1)),
  };
}

/**
 * Per-member constants as operands for a variable: a plain number where every member has the same
 * value (the very operand `genomeStep` uses), else a float32 tensor [P, 1, …, 1] that broadcasts
 * over each member's slice. Masks likewise: a boolean where all members agree, else a bool
 * condition of the variable's full shape for {@link select}. Tensors are cached for the instance;
 * make and use one inside `tf.tidy`.
 */
export class MemberConstants {
  private readonly cache = new Map<string, tf.Tensor>();

  constructor(private readonly size: number) {}

  value(name: string, values: readonly number[], rank: number): tf.Tensor | number {
    const first = values[0] as number;
    if (values.every((v) => Object.is(v, first))) return first;
    return this.cached(`${name}/${rank}`, () => tf.tensor(values as number[], this.column(rank), 'float32'));
  }

  mask(name: string, flags: readonly boolean[], shape: readonly number[]): tf.Tensor | boolean {
    const first = flags[0] as boolean;
    if (flags.every((f) => f === first)) return first;
    // Broadcast by arithmetic, then cast: on wasm, broadcasting a comparison or a bool tensor (Tile)
    // is several times slower than an add.
    return this.cached(`mask:${name}/${shape.join()}`, () =>
      tf.cast(tf.add(tf.zeros([...shape]), tf.tensor(flags.map(Number), this.column(shape.length), 'float32')), 'bool'),
    );
  }

  private column(rank: number): number[] {
    return [this.size, ...Array.from({ length: rank - 1 }, () => 1)];
  }

  private cached(key: string, make: () => tf.Tensor): tf.Tensor {
    let tensor = this.cache.get(key);
    if (!tensor) {
      tensor = make();
      this.cache.set(key, tensor);
    }
    return tensor;
  }
}

/**
 * `a` where the condition holds, `b` elsewhere: member by member when the condition comes from
 * {@link MemberConstants.mask}. A selection, not arithmetic, so NaN or Inf on the unselected side
 * never leaks through.
 */
export function select(condition: tf.Tensor | boolean, a: tf.Tensor, b: tf.Tensor | number): tf.Tensor {
  if (condition === true) return a;
  const other = typeof b === 'number' ? tf.fill(a.shape, b, a.dtype) : b;
  if (condition === false) return other;
  const shape = condition.shape.join();
  // The kernel itself on equal shapes; tf.where would first copy (or Tile) all three operands.
  if (a.shape.join() === shape && other.shape.join() === shape)
    return tf.engine().runKernel<tf.Tensor>('Select', { condition, t: a, e: other });
  return tf.where(condition, a, other);
}
