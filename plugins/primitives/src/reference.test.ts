import { describe, expect, it } from 'vitest';
import { createRegistries, defineSchedule, GENOME_SCHEMA_ID, parseGenome, ReferenceOptimizer, registerPlugin } from '@evopt/core';
import plugin from './index.js';

const registries = createRegistries();
registerPlugin(registries, plugin);
registries.schedules.register(defineSchedule({ id: 'constant', meta: { summary: 'η = lr', params: {} }, multiplier: () => 1 }), 'test');

const genome = (terms: { primitive: string; alpha: number }[], settings: object) => parseGenome({
  schema: GENOME_SCHEMA_ID, terms, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0,
  useM: true, useV: true, biasCorrection: true, clip: null, schedule: { id: 'constant' }, ...settings,
});

describe('the primitives inside core\'s reference optimizer', () => {
  it('make the Adam genome move each weight by about lr against its gradient on the first step', () => {
    // With bias correction, m̂ = g and v̂ = g² at step 0, so m̂/(√v̂+ε) ≈ sign(g).
    const optimizer = new ReferenceOptimizer(genome([{ primitive: 'adam', alpha: 1 }], {}), registries, 100);
    const next = optimizer.update([1, 1, 1], [0.5, -2, 1e-3]);
    expect(next[0]).toBeCloseTo(1 - 1e-3, 9);
    expect(next[1]).toBeCloseTo(1 + 1e-3, 9);
    expect(next[2]).toBeCloseTo(1 - 1e-3 * (1e-3 / (1e-3 + 1e-8)), 12);
  });

  it('make SGD-momentum follow m ← 0.9·m + 0.1·g, w ← w − lr·m', () => {
    const optimizer = new ReferenceOptimizer(genome([{ primitive: 'momentum', alpha: 1 }], { lr: 0.1, useV: false, biasCorrection: false }), registries, 100);
    let w = optimizer.update([0], [1]);
    expect(w[0]).toBeCloseTo(-0.1 * 0.1, 15);
    w = optimizer.update(w, [1]);
    expect(w[0]).toBeCloseTo(-0.01 - 0.1 * 0.19, 15);
  });

  it('sum weighted terms: 0.5·sign + 2·grad', () => {
    const optimizer = new ReferenceOptimizer(genome([{ primitive: 'sign', alpha: 0.5 }, { primitive: 'grad', alpha: 2 }], { lr: 0.1 }), registries, 100);
    expect(optimizer.update([0], [-0.25])[0]).toBeCloseTo(-0.1 * (0.5 * -1 + 2 * -0.25), 15);
  });
});
