import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithReference } from './__fixtures__/parity.js';
import { genomeFrom, registries, useCpuBackend } from './__fixtures__/registries.js';

// Every built-in primitive, so that a new one is checked against the reference without editing this file.
const PRIMITIVES = registries.primitives.ids();

// float32 tensors against float64 numbers: the weights must agree to 1e-5 of their size, and the
// distance they moved to 2e-5 of itself (measured worst cases: 4e-6 of both).
function expectMatchesReference(report: ReturnType<typeof compareWithReference>): void {
  expect(report.movement).toBeGreaterThan(1e-3);
  expect(report.worstRelativeToScale).toBeLessThan(1e-5);
  expect(report.worstRelativeToMovement).toBeLessThan(2e-5);
}

describe("GenomeOptimizer matches core's ReferenceOptimizer step by step", () => {
  beforeAll(useCpuBackend);

  describe.each(PRIMITIVES)('primitive %s', (primitive) => {
    it('alone, with a constant schedule and no extras', () => {
      const genome = genomeFrom('adam', {
        terms: [{ primitive, alpha: 0.7 }],
        lr: 0.05,
        weightDecay: 0,
        biasCorrection: false,
      });
      expectMatchesReference(compareWithReference(genome, { registries }));
    });

    it('with clipping, weight decay, bias correction and warmup-cosine', () => {
      const genome = genomeFrom('adam', {
        terms: [{ primitive, alpha: -1.3 }],
        lr: 0.05,
        beta1: 0.8,
        beta2: 0.95,
        weightDecay: 1e-2,
        clip: 0.8,
        schedule: { id: 'warmup-cosine', params: { warmupSteps: 8 } },
      });
      expectMatchesReference(compareWithReference(genome, { registries }));
    });
  });

  it("lion with a β of its own, and adabelief (two state slots), without m: each term's options and state in one genome", () => {
    const genome = genomeFrom('adam', {
      terms: [
        { primitive: 'lion', alpha: 0.3, options: { beta: 0.6 } },
        { primitive: 'adabelief', alpha: 0.5 },
        { primitive: 'adabelief', alpha: -0.2 },
      ],
      lr: 0.03,
      useM: false,
      beta2: 0.9,
      eps: 1e-6,
    });
    expectMatchesReference(compareWithReference(genome, { registries, steps: 20 }));
  });

  it.each(['adam', 'adamw', 'sgd-momentum', 'rmsprop'])('the %s baseline', (id) => {
    expectMatchesReference(compareWithReference(genomeFrom(id, { lr: 0.05 }), { registries }));
  });

  it("the paper's evolved genome, with warmup and cosine that both matter within 40 steps", () => {
    const genome = genomeFrom('paper-evolved', {
      lr: 0.02,
      schedule: { id: 'warmup-cosine', params: { warmupSteps: 10 } },
    });
    expectMatchesReference(compareWithReference(genome, { registries, steps: 40 }));
  });

  it("the paper's evolved genome with clipping, heavy weight decay and bias correction on", () => {
    const genome = genomeFrom('paper-evolved', {
      lr: 0.02,
      clip: 0.5,
      weightDecay: 5e-2,
      biasCorrection: true,
      schedule: { id: 'warmup-cosine', params: { warmupSteps: 10 } },
    });
    expectMatchesReference(compareWithReference(genome, { registries, steps: 30 }));
  });

  it.each([
    { useM: false, useV: true },
    { useM: true, useV: false },
    { useM: false, useV: false },
  ])('a four-term genome with useM $useM, useV $useV and bias correction', (flags) => {
    const genome = genomeFrom('adam', {
      ...flags,
      terms: [
        { primitive: 'adam', alpha: 1.5 },
        { primitive: 'nesterov', alpha: 0.4 },
        { primitive: 'rms', alpha: -0.3 },
        { primitive: 'sign', alpha: 0.2 },
      ],
      lr: 0.03,
      biasCorrection: true,
      schedule: { id: 'cosine', params: {} },
    });
    expectMatchesReference(compareWithReference(genome, { registries, steps: 20 }));
  });
});
