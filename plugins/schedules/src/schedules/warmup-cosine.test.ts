import { describe, expect, it } from 'vitest';
import {
  bindGenome,
  createRegistries,
  definePrimitive,
  GENOME_SCHEMA_ID,
  learningRate,
  parseGenome,
  registerPlugin,
} from '@evopt/core';
import plugin from '../index.js';
import { warmupCosine } from './warmup-cosine.js';

/** The reference notebook's rule, written out independently of the implementation. */
function paperEta(lr: number, t: number, W: number, T: number): number {
  const warm = t < W ? (t + 1) / W : 1;
  return lr * warm * 0.5 * (1 + Math.cos((Math.PI * t) / T));
}

describe('warmup-cosine', () => {
  const W = 100;
  const T = 500;

  it("matches the paper's formula at every step of a run", () => {
    for (let t = 0; t < T; t++)
      expect(warmupCosine.multiplier(t, T, { warmupSteps: W })).toBeCloseTo(paperEta(1, t, W, T), 15);
  });

  it('counts the cosine from step 0, not from the end of warmup', () => {
    // At the end of warmup the cosine has already decayed: 0.5·(1 + cos(π/5)) ≈ 0.9045, not 1.
    expect(warmupCosine.multiplier(100, T, { warmupSteps: W })).toBeCloseTo(0.9045084971874737, 15);
    // Inside warmup both factors apply: (50/100)·0.5·(1 + cos(49π/500)).
    expect(warmupCosine.multiplier(49, T, { warmupSteps: W })).toBeCloseTo(0.5 * 0.9764896707586095, 15);
    expect(warmupCosine.multiplier(0, T, { warmupSteps: W })).toBe(0.01);
    expect(warmupCosine.multiplier(250, T, { warmupSteps: W })).toBeCloseTo(0.5, 15);
  });

  it("gives the paper's evolved genome its learning rate through core's learningRate", () => {
    const registries = createRegistries();
    registerPlugin(registries, plugin);
    const lr = 0.0012025;
    const genome = parseGenome({
      schema: GENOME_SCHEMA_ID,
      terms: [{ primitive: 'adam', alpha: 1 }],
      lr,
      beta1: 0.8553,
      beta2: 0.9358,
      eps: 5.44e-9,
      weightDecay: 0.000974,
      useM: true,
      useV: true,
      biasCorrection: false,
      clip: null,
      // No params: the default warmup length (100, the evolved genome's) is filled in.
      schedule: { id: 'warmup-cosine' },
    });
    // The primitive does not matter here; this stand-in only lets the genome bind.
    registries.primitives.register(
      definePrimitive({
        id: 'adam',
        meta: { summary: 'stand-in' },
        create: () => ({ formula: 'm', apply: ({ m }) => m }),
      }),
      'test',
    );
    const bound = bindGenome(genome, registries);
    for (const t of [0, 1, 50, 99, 100, 101, 300, 499])
      expect(learningRate(bound, t, T)).toBeCloseTo(paperEta(lr, t, 100, T), 18);
  });
});
