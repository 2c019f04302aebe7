import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixtureRegistries } from '../__fixtures__/paper-plugin.js';
import { baselineGenome } from './baselines.js';
import { canonicalize, genomeHash, stableStringify } from './canonical.js';
import { renderFormula, renderHyperparameters } from './formula.js';
import { ReferenceOptimizer } from './reference.js';
import type { Genome } from './schema.js';
import { genomeArbitrary } from '../__fixtures__/genome-arbitrary.js';

const registries = fixtureRegistries();

const genomeArb = genomeArbitrary({
  primitives: registries.primitives.ids(),
  alpha: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(0, 1, -1)),
  maxTerms: 6,
  schedules: [
    { id: 'constant', params: {} },
    { id: 'warmup-cosine', params: { warmupSteps: 20 } },
    { id: 'warmup', params: {} },
  ],
});

/** Runs both genomes' optimizers on the same scalar gradients and returns the weight trajectories. */
function trajectory(genome: Genome, gradients: readonly number[][]): number[][] {
  const optimizer = new ReferenceOptimizer(genome, registries, gradients.length);
  let w = [0.5, -1.5, 2];
  return gradients.map((g) => (w = optimizer.update(w, g)));
}

describe('canonicalize', () => {
  it("merges duplicate terms, drops zero weights and orders terms stably (the paper's evolved genome)", () => {
    const canonical = canonicalize(baselineGenome('paper-evolved'), registries);
    expect(canonical.terms.map((t) => t.primitive)).toEqual(['adam', 'sign']);
    expect(canonical.terms[0]?.alpha).toBeCloseTo(3.6352, 10);
    expect(canonical.terms[1]?.alpha).toBeCloseTo(0.7345, 10);
    expect(renderFormula(canonical, registries)).toBe('3.64·m/(√v+ε) + 0.73·sign(g)');
    const cancelled = canonicalize(
      {
        ...baselineGenome('adam'),
        terms: [
          { primitive: 'sign', alpha: 0.5 },
          { primitive: 'sign', alpha: -0.5 },
          { primitive: 'grad', alpha: 1 },
        ],
      },
      registries,
    );
    expect(cancelled.terms).toEqual([{ primitive: 'grad', alpha: 1 }]);
  });

  it('replaces primitives that reduce to simpler ones without m or v, then merges them', () => {
    const noM = canonicalize(
      {
        ...baselineGenome('adam'),
        useM: false,
        terms: [
          { primitive: 'momentum', alpha: 0.5 },
          { primitive: 'grad', alpha: 0.25 },
          { primitive: 'adam', alpha: 2 },
        ],
      },
      registries,
    );
    expect(noM.terms).toEqual([
      { primitive: 'grad', alpha: 0.75 },
      { primitive: 'rms', alpha: 2 },
    ]);
    const neither = canonicalize(
      {
        ...baselineGenome('adam'),
        useM: false,
        useV: false,
        terms: [
          { primitive: 'adam', alpha: 1 },
          { primitive: 'unit', alpha: 1 },
        ],
      },
      registries,
    );
    expect(neither.terms).toEqual([{ primitive: 'unit', alpha: 2 }]);
    expect(canonicalize(baselineGenome('sgd-momentum'), registries).terms).toEqual([
      { primitive: 'momentum', alpha: 1 },
    ]);
  });

  it('treats explicit default options and schedule params as equal to omitted ones', () => {
    const a = {
      ...baselineGenome('adam'),
      terms: [{ primitive: 'belief', alpha: 1 }],
      schedule: { id: 'warmup', params: {} },
    };
    const b = {
      ...a,
      terms: [{ primitive: 'belief', alpha: 1, options: { beta: 0.9 } }],
      schedule: { id: 'warmup', params: { warmupSteps: 100 } },
    };
    const c = { ...a, terms: [{ primitive: 'belief', alpha: 1, options: { beta: 0.8 } }] };
    expect(genomeHash(a, registries)).toBe(genomeHash(b, registries));
    expect(genomeHash(a, registries)).not.toBe(genomeHash(c, registries));
  });

  it('is idempotent and its hash ignores term order and key order', () => {
    fc.assert(
      fc.property(genomeArb, (genome) => {
        const once = canonicalize(genome, registries);
        expect(canonicalize(once, registries)).toEqual(once);
        const shuffled = { ...genome, terms: [...genome.terms].reverse() };
        expect(genomeHash(shuffled, registries)).toBe(genomeHash(genome, registries));
        expect(stableStringify(JSON.parse(JSON.stringify(once)))).toBe(stableStringify(once));
      }),
    );
  });

  it('never changes the update the genome computes (plain-number reference, 12 steps)', () => {
    const gradientsArb = fc.array(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
      { minLength: 12, maxLength: 12 },
    );
    fc.assert(
      fc.property(genomeArb, gradientsArb, (genome, gradients) => {
        const original = trajectory(genome, gradients);
        const canonical = trajectory(canonicalize(genome, registries), gradients);
        // Merging is exact in real arithmetic. What may differ is the original's own rounding when
        // terms of size up to |g|/ε cancel: bound it per step by 2⁻⁵² · terms · lr · Σ|α| · 3/ε.
        const rounding =
          2 ** -52 * 8 * genome.lr * genome.terms.reduce((sum, t) => sum + Math.abs(t.alpha), 0) * (3 / genome.eps);
        original.forEach((w, step) =>
          w.forEach((value, i) => {
            const other = canonical[step]?.[i] as number;
            expect(Math.abs(value - other)).toBeLessThanOrEqual(
              1e-9 * Math.max(1, Math.abs(value)) + (step + 1) * rounding,
            );
          }),
        );
      }),
      { numRuns: 150 },
    );
  });
});

describe('formula', () => {
  it('renders signs, parentheses for sums and hyperparameters', () => {
    const genome: Genome = {
      ...baselineGenome('adam'),
      terms: [
        { primitive: 'nesterov', alpha: -0.5 },
        { primitive: 'sign', alpha: -0.004 },
      ],
    };
    expect(renderFormula(genome, registries)).toBe('−0.50·(m+0.9·(g−m)) − 0.0040·sign(g)');
    expect(renderHyperparameters(baselineGenome('paper-evolved'))).toBe(
      'lr 1.2e-3 · β1 0.855 · β2 0.936 · ε 5.4e-9 · wd 9.7e-4 · no bias correction · warmup-cosine(warmupSteps=100)',
    );
  });
});
