import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixtureRegistries } from '../__fixtures__/paper-plugin.js';
import { Rng } from '../rng.js';
import { parseGenome, type Genome } from '../genome/schema.js';
import { baselineGenome } from '../genome/baselines.js';
import { PAPER_BOUNDS, PAPER_GA } from '../presets/paper.js';
import { createGenomeSpace, NUMERIC_GENES, type GenomeSpace } from './space.js';
import { randomGenome } from './operators.js';
import { annealRates, mutate } from './mutation.js';
import { crossover } from './crossover.js';

const registries = fixtureRegistries();
const space = createGenomeSpace(registries, {
  primitives: null,
  schedules: ['constant', 'warmup', 'cosine', 'warmup-cosine', 'step'],
  maxTerms: 4,
});

function expectInBounds(genome: Genome, within: GenomeSpace): void {
  parseGenome(genome);
  expect(genome.terms.length).toBeGreaterThanOrEqual(1);
  expect(genome.terms.length).toBeLessThanOrEqual(within.maxTerms);
  for (const term of genome.terms) {
    expect(
      within.primitives.includes(term.primitive) || ['momentum', 'adam', 'rms', 'sign'].includes(term.primitive),
    ).toBe(true);
    expect(term.alpha).toBeGreaterThanOrEqual(PAPER_BOUNDS.alpha.min);
    expect(term.alpha).toBeLessThanOrEqual(PAPER_BOUNDS.alpha.max);
  }
  for (const gene of NUMERIC_GENES) {
    expect(genome[gene]).toBeGreaterThanOrEqual(within.genes[gene].min);
    expect(genome[gene]).toBeLessThanOrEqual(within.genes[gene].max);
  }
  if (genome.clip !== null) {
    expect(genome.clip).toBeGreaterThanOrEqual(within.genes.clip.min);
    expect(genome.clip).toBeLessThanOrEqual(within.genes.clip.max);
  }
  const schedule = within.schedules.find((s) => s.id === genome.schedule.id);
  expect(schedule, `schedule ${genome.schedule.id} is allowed`).toBeDefined();
  for (const [name, spec] of Object.entries(schedule?.meta.params ?? {})) {
    const value = genome.schedule.params[name] as number;
    expect(value).toBeGreaterThanOrEqual(spec.min);
    expect(value).toBeLessThanOrEqual(spec.max);
    if (spec.integer) expect(Number.isInteger(value)).toBe(true);
  }
}

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
/** Genomes as the engine meets them: random ones, baselines, and mutants of those. */
const genomeArb = fc
  .tuple(seedArb, fc.constantFrom('random', 'adam', 'sgd-momentum', 'rmsprop', 'paper-evolved'))
  .map(([seed, kind]) => {
    const rng = Rng.fromSeed(seed);
    return kind === 'random' ? randomGenome(space, rng) : baselineGenome(kind);
  });
const hotRates = { pNum: 1, pStruct: 1, pFlag: 1, sigma: 3, anneal: 0 };

describe('genetic operators', () => {
  it('random genomes are valid and in bounds', () => {
    fc.assert(fc.property(seedArb, (seed) => expectInBounds(randomGenome(space, Rng.fromSeed(seed)), space)));
  });

  it('mutation always gives a valid genome in bounds, even with every rate at 1 and a huge σ', () => {
    fc.assert(
      fc.property(genomeArb, seedArb, fc.constantFrom(PAPER_GA.mutation, hotRates), (genome, seed, rates) => {
        const rng = Rng.fromSeed(seed);
        let g = genome;
        for (let i = 0; i < 5; i++) {
          g = mutate(g, space, rates, rng);
          expectInBounds(g, space);
        }
      }),
    );
  });

  it('crossover always gives a valid genome in bounds whose terms come from the parents', () => {
    fc.assert(
      fc.property(genomeArb, genomeArb, seedArb, (a, b, seed) => {
        const child = crossover(a, b, space, Rng.fromSeed(seed));
        expectInBounds(child, space);
        const parentTerms = [...a.terms, ...b.terms].map((t) => JSON.stringify(t));
        for (const term of child.terms) expect(parentTerms).toContain(JSON.stringify(term));
        for (const gene of NUMERIC_GENES) expect([a[gene], b[gene]]).toContain(child[gene]);
      }),
    );
  });

  it('mutation is deterministic given the RNG state', () => {
    fc.assert(
      fc.property(genomeArb, seedArb, (genome, seed) => {
        expect(mutate(genome, space, PAPER_GA.mutation, Rng.fromSeed(seed))).toEqual(
          mutate(genome, space, PAPER_GA.mutation, Rng.fromSeed(seed)),
        );
      }),
    );
  });

  it('anneals every rate by 1 − 0.5·gen/maxGen, as the paper does', () => {
    const late = annealRates(PAPER_GA.mutation, 25, 50);
    expect(late.pNum).toBeCloseTo(0.35 * 0.75);
    expect(late.pStruct).toBeCloseTo(0.15 * 0.75);
    expect(late.pFlag).toBeCloseTo(0.1 * 0.75);
    expect(late.sigma).toBeCloseTo(0.3 * 0.75);
  });

  it("with only the paper's four schedules, mutation moves between them by flipping warmup and cosine", () => {
    const paperSpace = createGenomeSpace(registries, { primitives: null, schedules: null, maxTerms: 4 });
    const seen = new Set<string>();
    const rng = Rng.fromSeed(3);
    for (let i = 0; i < 400; i++)
      seen.add(mutate(baselineGenome('adam'), paperSpace, { ...hotRates, pFlag: 0.5 }, rng).schedule.id);
    expect([...seen].sort()).toEqual(['constant', 'cosine', 'warmup', 'warmup-cosine']);
  });
});
