import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fixturePlugin, fixtureRegistries } from '../__fixtures__/paper-plugin.js';
import { ReferenceOptimizer } from './reference.js';
import { createRegistries, freezeRegistries } from '../registry/registries.js';
import { registerPlugin } from '../plugin/validate.js';
import { definePlugin } from '../plugin/define.js';
import { isEvoptError } from '../errors.js';
import type { Genome } from './schema.js';
import { genomeArbitrary } from '../__fixtures__/genome-arbitrary.js';

const registries = fixtureRegistries();
const PAPER_PRIMITIVES = ['grad', 'momentum', 'rms', 'adam', 'sign', 'unit', 'nesterov'] as const;

/**
 * A line-by-line transcription of step_genome in ../shared/bench/torch_ref.py (the paper's
 * reference semantics), on plain numbers. It shares no code with genomeStep, so agreement
 * between the two checks evopt's update rule itself.
 */
function torchRefTrajectory(genome: Genome, gradients: readonly number[][], total: number): number[][] {
  const warmupSteps = genome.schedule.id.startsWith('warmup') ? (genome.schedule.params['warmupSteps'] as number) : 0;
  const cosine = genome.schedule.id.endsWith('cosine');
  const term = (kind: string, g: number, m: number, v: number, eps: number): number => {
    switch (kind) {
      case 'grad':
        return g;
      case 'momentum':
        return m;
      case 'rms':
        return g / (Math.sqrt(v) + eps);
      case 'adam':
        return m / (Math.sqrt(v) + eps);
      case 'sign':
        return Math.sign(g);
      case 'unit':
        return g / (Math.abs(g) + eps);
      case 'nesterov':
        return m + 0.9 * (g - m);
      default:
        throw new Error(kind);
    }
  };
  let w = [0.5, -1.5, 2];
  const mState = w.map(() => 0);
  const vState = w.map(() => 0);
  return gradients.map((grads, t) => {
    let lr = genome.lr;
    if (warmupSteps && t < warmupSteps) lr = (lr * (t + 1)) / warmupSteps;
    if (cosine) lr = lr * 0.5 * (1 + Math.cos((Math.PI * t) / total));
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = genome;
    w = w.map((p, i) => {
      let g = grads[i] as number;
      if (genome.clip !== null) g = Math.min(genome.clip, Math.max(-genome.clip, g));
      if (wd > 0) p = p * (1 - lr * wd);
      let m = g;
      let v = g * g;
      if (genome.useM) m = mState[i] = b1 * (mState[i] as number) + (1 - b1) * g;
      if (genome.useV) v = vState[i] = b2 * (vState[i] as number) + (1 - b2) * g * g;
      if (genome.biasCorrection) {
        if (genome.useM) m = m / (1 - b1 ** (t + 1));
        if (genome.useV) v = v / (1 - b2 ** (t + 1));
      }
      const d = genome.terms.reduce((sum, tm) => sum + tm.alpha * term(tm.primitive, g, m, v, eps), 0);
      return p - lr * d;
    });
    return w;
  });
}

const genomeArb = genomeArbitrary({
  primitives: PAPER_PRIMITIVES,
  maxTerms: 4,
  schedules: [
    { id: 'constant', params: {} },
    { id: 'warmup', params: { warmupSteps: 7 } },
    { id: 'cosine', params: {} },
    { id: 'warmup-cosine', params: { warmupSteps: 10 } },
  ],
});

describe('ReferenceOptimizer', () => {
  it("computes exactly the update of the paper's reference code (torch_ref.py), for any genome", () => {
    const gradientsArb = fc.array(
      fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 3, maxLength: 3 }),
      { minLength: 25, maxLength: 25 },
    );
    fc.assert(
      fc.property(genomeArb, gradientsArb, (genome, gradients) => {
        const optimizer = new ReferenceOptimizer(genome, registries, gradients.length);
        let w = [0.5, -1.5, 2];
        const ours = gradients.map((g) => (w = optimizer.update(w, g)));
        const theirs = torchRefTrajectory(genome, gradients, gradients.length);
        ours.forEach((row, t) =>
          row.forEach((value, i) => {
            const expected = theirs[t]?.[i] as number;
            expect(Math.abs(value - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
          }),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('a primitive that throws while training', () => {
  it('is named with its plugin and id, in apply and in a state slot update', () => {
    const plugin = definePlugin({
      name: 'evopt-plugin-fragile',
      apiVersion: '1.0',
      primitives: [
        {
          id: 'fragile/apply',
          meta: { summary: 'Throws in apply.' },
          create: () => ({
            formula: 'g',
            apply: () => {
              throw new Error('apply blew up');
            },
          }),
        },
        {
          id: 'fragile/slot',
          meta: { summary: 'Throws in its state update.' },
          create: () => ({
            formula: 's',
            state: [
              {
                name: 's',
                init: 0,
                update: () => {
                  throw new Error('slot blew up');
                },
              },
            ],
            apply: <T>({ g }: { g: T }) => g,
          }),
        },
      ],
    });
    const fixture = createRegistries();
    registerPlugin(fixture, fixturePlugin);
    registerPlugin(fixture, plugin);
    const frozen = freezeRegistries(fixture);
    for (const [primitive, during, cause] of [
      ['fragile/apply', 'computing its update', 'apply blew up'],
      ['fragile/slot', 'updating its state slot "s"', 'slot blew up'],
    ] as const) {
      const genome: Genome = {
        schema: 'evopt.genome/1',
        terms: [{ primitive, alpha: 1 }],
        lr: 0.1,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        weightDecay: 0,
        useM: true,
        useV: true,
        biasCorrection: true,
        clip: null,
        schedule: { id: 'constant', params: {} },
      };
      let caught: unknown;
      try {
        new ReferenceOptimizer(genome, frozen, 10).update([1, 2], [0.1, 0.2]);
      } catch (error) {
        caught = error;
      }
      expect(isEvoptError(caught, 'PLUGIN_RUNTIME')).toBe(true);
      expect((caught as Error).message).toContain(
        `Plugin "evopt-plugin-fragile" failed in primitive "${primitive}" while ${during}`,
      );
      expect((caught as Error).message).toContain(cause);
    }
  });
});
