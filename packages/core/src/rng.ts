import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { createHash } from 'node:crypto';

type Generator = ReturnType<typeof xoroshiro128plus>;

const WARM_UP_DRAWS = 16;

/** Serializable RNG state; it goes into checkpoints so a resumed run draws the same numbers. */
export type RngState = readonly number[];

/**
 * The only source of randomness in evopt. It is always passed in explicitly; nothing in the
 * engine or in a strategy may call Math.random.
 */
export class Rng {
  private constructor(private readonly generator: Generator) {}

  static fromSeed(seed: number): Rng {
    const generator = xoroshiro128plus(seed | 0);
    // xoroshiro's first outputs from small seeds are poorly mixed (seed 1 gives a first normal
    // draw with mean square ≈ 10); discarding a few makes every seed usable.
    for (let i = 0; i < WARM_UP_DRAWS; i++) generator.next();
    return new Rng(generator);
  }

  static fromState(state: RngState): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  state(): RngState {
    return [...this.generator.getState()];
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.generator);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return uniformInt(this.generator, lo, hi);
  }

  bool(p: number): boolean {
    return this.float() < p;
  }

  /** Standard normal draw (Box–Muller; one of the pair is discarded to keep the state simple). */
  normal(mean = 0, sd = 1): number {
    const u1 = 1 - this.float();
    const u2 = this.float();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick needs at least one item');
    return items[this.int(0, items.length - 1)] as T;
  }
}

/**
 * A 31-bit seed derived from its parts by hashing. Evaluation seeds come from
 * (run seed, genome hash, task, seed index), so the order in which workers finish changes nothing.
 */
export function deriveSeed(...parts: readonly (string | number)[]): number {
  const digest = createHash('sha256').update(parts.join('\u0000')).digest();
  return digest.readUInt32BE(0) & 0x7fffffff;
}
