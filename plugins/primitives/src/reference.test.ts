import { describe, expect, it } from 'vitest';
import {
  createRegistries,
  defineSchedule,
  GENOME_SCHEMA_ID,
  parseGenome,
  ReferenceOptimizer,
  registerPlugin,
  Rng,
  type Genome,
} from '@evopt/core';
import plugin from './index.js';

const registries = createRegistries();
registerPlugin(registries, plugin);
registries.schedules.register(
  defineSchedule({ id: 'constant', meta: { summary: 'η = lr', params: {} }, multiplier: () => 1 }),
  'test',
);

const genome = (terms: { primitive: string; alpha: number; options?: Record<string, unknown> }[], settings: object) =>
  parseGenome({
    schema: GENOME_SCHEMA_ID,
    terms,
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0,
    useM: true,
    useV: true,
    biasCorrection: true,
    clip: null,
    schedule: { id: 'constant' },
    ...settings,
  });

describe("the primitives inside core's reference optimizer", () => {
  it('make the Adam genome move each weight by about lr against its gradient on the first step', () => {
    // With bias correction, m̂ = g and v̂ = g² at step 0, so m̂/(√v̂+ε) ≈ sign(g).
    const optimizer = new ReferenceOptimizer(genome([{ primitive: 'adam', alpha: 1 }], {}), registries, 100);
    const next = optimizer.update([1, 1, 1], [0.5, -2, 1e-3]);
    expect(next[0]).toBeCloseTo(1 - 1e-3, 9);
    expect(next[1]).toBeCloseTo(1 + 1e-3, 9);
    expect(next[2]).toBeCloseTo(1 - 1e-3 * (1e-3 / (1e-3 + 1e-8)), 12);
  });

  it('make SGD-momentum follow m ← 0.9·m + 0.1·g, w ← w − lr·m', () => {
    const optimizer = new ReferenceOptimizer(
      genome([{ primitive: 'momentum', alpha: 1 }], { lr: 0.1, useV: false, biasCorrection: false }),
      registries,
      100,
    );
    let w = optimizer.update([0], [1]);
    expect(w[0]).toBeCloseTo(-0.1 * 0.1, 15);
    w = optimizer.update(w, [1]);
    expect(w[0]).toBeCloseTo(-0.01 - 0.1 * 0.19, 15);
  });

  it('sum weighted terms: 0.5·sign + 2·grad', () => {
    const optimizer = new ReferenceOptimizer(
      genome(
        [
          { primitive: 'sign', alpha: 0.5 },
          { primitive: 'grad', alpha: 2 },
        ],
        { lr: 0.1 },
      ),
      registries,
      100,
    );
    expect(optimizer.update([0], [-0.25])[0]).toBeCloseTo(-0.1 * (0.5 * -1 + 2 * -0.25), 15);
  });
});

// The published algorithms, transcribed line by line on plain numbers. They share no code with the
// primitives, so agreement over many steps checks each term's math, its state and its use of m.

const STEPS = 60;
const W0 = [0.8, -0.4, 1.5, -2, 0.05];

/** Gradients of mixed sign and scale: mostly unit-sized, every third step ~1e-3 so that ε matters. */
function gradientStream(seed: number): number[][] {
  const rng = Rng.fromSeed(seed);
  return Array.from({ length: STEPS }, (_, t) => W0.map(() => rng.normal(0, t % 3 === 2 ? 1e-3 : 1)));
}

function referenceTrajectory(g: Genome, gradients: readonly number[][]): number[] {
  const optimizer = new ReferenceOptimizer(g, registries, STEPS);
  return gradients.reduce((w, grads) => optimizer.update(w, grads), [...W0]);
}

function expectSameWeights(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((w, i) => expect(w).toBeCloseTo(expected[i] as number, 10));
  // The weights moved: the comparison is not between two untouched copies.
  expect(Math.max(...expected.map((w, i) => Math.abs(w - (W0[i] as number))))).toBeGreaterThan(0.05);
}

describe('the new primitives against their published algorithms', () => {
  it('adabelief alone, with m and bias correction, is AdaBelief (Zhuang et al. 2020, Algorithm 2, decoupled weight decay)', () => {
    const [lr, beta1, beta2, eps, wd] = [0.01, 0.9, 0.999, 1e-4, 1e-2];
    const gradients = gradientStream(11);
    const m = W0.map(() => 0);
    const s = W0.map(() => 0);
    const expected = gradients.reduce(
      (w, grads, index) => {
        const t = index + 1;
        return w.map((wi, i) => {
          const g = grads[i] as number;
          m[i] = beta1 * (m[i] as number) + (1 - beta1) * g;
          s[i] = beta2 * (s[i] as number) + (1 - beta2) * (g - (m[i] as number)) ** 2 + eps;
          const denominator = Math.sqrt(s[i] as number) / Math.sqrt(1 - beta2 ** t) + eps;
          return wi * (1 - lr * wd) - (lr / (1 - beta1 ** t)) * ((m[i] as number) / denominator);
        });
      },
      [...W0],
    );
    const adabelief = genome([{ primitive: 'adabelief', alpha: 1 }], {
      lr,
      beta1,
      beta2,
      eps,
      weightDecay: wd,
      biasCorrection: true,
    });
    expectSameWeights(referenceTrajectory(adabelief, gradients), expected);
  });

  it("lion with β = β1/β2 of Lion, on a genome whose β1 is Lion's β2 and without bias correction, is Lion (Chen et al. 2023)", () => {
    const [lr, beta1, beta2, wd] = [0.01, 0.9, 0.99, 0.1];
    const gradients = gradientStream(12);
    const m = W0.map(() => 0);
    const expected = gradients.reduce(
      (w, grads) =>
        w.map((wi, i) => {
          const g = grads[i] as number;
          const c = beta1 * (m[i] as number) + (1 - beta1) * g;
          m[i] = beta2 * (m[i] as number) + (1 - beta2) * g;
          return wi - lr * (Math.sign(c) + wd * wi);
        }),
      [...W0],
    );
    const lion = genome([{ primitive: 'lion', alpha: 1, options: { beta: beta1 / beta2 } }], {
      lr,
      beta1: beta2,
      weightDecay: wd,
      biasCorrection: false,
    });
    expectSameWeights(referenceTrajectory(lion, gradients), expected);
  });

  for (const [id, update] of [
    ['powersign', (g: number, m: number) => Math.exp(Math.sign(g) * Math.sign(m)) * g],
    ['addsign', (g: number, m: number) => (1 + Math.sign(g) * Math.sign(m)) * g],
  ] as const) {
    it(`${id} alone, with m and without bias correction, is Bello et al. 2017's ${id} (base e / α = 1, no decay)`, () => {
      const [lr, beta] = [0.02, 0.9];
      const gradients = gradientStream(13);
      const m = W0.map(() => 0);
      const expected = gradients.reduce(
        (w, grads) =>
          w.map((wi, i) => {
            const g = grads[i] as number;
            m[i] = beta * (m[i] as number) + (1 - beta) * g;
            return wi - lr * update(g, m[i] as number);
          }),
        [...W0],
      );
      const bello = genome([{ primitive: id, alpha: 1 }], { lr, beta1: beta, biasCorrection: false });
      expectSameWeights(referenceTrajectory(bello, gradients), expected);
    });
  }

  it('sign-m alone, with m, is signum: w − lr·sign(EMA_β1(g))', () => {
    const gradients = gradientStream(14);
    const m = W0.map(() => 0);
    const expected = gradients.reduce(
      (w, grads) =>
        w.map((wi, i) => {
          m[i] = 0.9 * (m[i] as number) + 0.1 * (grads[i] as number);
          return wi - 0.01 * Math.sign(m[i] as number);
        }),
      [...W0],
    );
    // Bias correction divides m by a positive number: it must not change the sign.
    expectSameWeights(
      referenceTrajectory(genome([{ primitive: 'sign-m', alpha: 1 }], { lr: 0.01, biasCorrection: true }), gradients),
      expected,
    );
  });
});
