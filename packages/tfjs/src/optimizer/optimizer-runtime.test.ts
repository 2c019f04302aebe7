import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistries, definePrimitive, registerPlugin } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';
import { compareWithReference } from './__fixtures__/parity.js';
import { genomeFrom, registries, useCpuBackend } from './__fixtures__/registries.js';
import { createGenomeOptimizer, GenomeOptimizer } from './genome-optimizer.js';

/** AdaBelief's term m/(√s+ε) with s = EMA_β2((g − m)²): a primitive with a state slot. */
const belief = definePrimitive({
  id: 'belief',
  meta: { summary: 'AdaBelief: m/(√s+ε), s = EMA_β2((g−m)²).' },
  create: () => ({
    formula: 'm/(√s+ε)',
    state: [
      {
        name: 's',
        init: 0,
        update: ({ g, m, beta2, state }, ops) => {
          const surprise = ops.square(ops.sub(g, m));
          return ops.add(ops.mul(state['s'] ?? surprise, beta2), ops.sub(surprise, ops.mul(surprise, beta2)));
        },
      },
    ],
    apply: ({ m, eps, state }, ops) => ops.div(m, ops.add(ops.sqrt(state['s'] ?? m), eps)),
  }),
});

const withBelief = createRegistries();
registerPlugin(withBelief, primitives);
registerPlugin(withBelief, schedules);
withBelief.primitives.register(belief, 'test');

/** f(w) = Σ (w − target)², for a few hundred elements. */
function quadratic(size: number): { w: tf.Variable; loss: () => tf.Scalar; dispose: () => void } {
  const w = tf.tidy(() => tf.variable(tf.zeros([size])));
  const target = tf.linspace(-1, 1, size);
  return { w, loss: () => tf.sum(tf.square(tf.sub(w, target))), dispose: () => tf.dispose([w, target]) };
}

describe('GenomeOptimizer at run time', () => {
  beforeAll(useCpuBackend);

  it('is a tf.Optimizer', () => {
    const optimizer = createGenomeOptimizer(genomeFrom('adam'), { totalSteps: 10, registries });
    expect(optimizer).toBeInstanceOf(tf.Optimizer);
    expect(optimizer.getClassName()).toBe('EvoptGenomeOptimizer');
    expect(optimizer.getConfig()).toMatchObject({
      totalSteps: 10,
      genome: { terms: [{ primitive: 'adam', alpha: 1 }] },
    });
  });

  it('minimize decreases a quadratic loss with the Adam genome', () => {
    const problem = quadratic(300);
    const optimizer = createGenomeOptimizer(genomeFrom('adam', { lr: 0.05 }), { totalSteps: 100, registries });
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      const cost = optimizer.minimize(problem.loss, true, [problem.w]);
      losses.push(cost?.dataSync()[0] ?? Number.NaN);
      cost?.dispose();
    }
    expect(optimizer.step).toBe(100);
    expect(losses[99]).toBeLessThan((losses[0] as number) * 0.05);
    optimizer.dispose();
    problem.dispose();
  });

  it('leaks no tensors over 100 steps, and dispose frees all its variables', () => {
    const before = tf.memory().numTensors;
    const problem = quadratic(300);
    const optimizer = createGenomeOptimizer(genomeFrom('paper-evolved'), { totalSteps: 101, registries });
    optimizer.minimize(problem.loss, false, [problem.w]);
    const afterFirst = tf.memory().numTensors;
    for (let step = 0; step < 100; step++) optimizer.minimize(problem.loss, false, [problem.w]);
    expect(tf.memory().numTensors).toBe(afterFirst);
    optimizer.dispose();
    problem.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps m and v only when the genome uses them', () => {
    const problem = quadratic(10);
    const optimizer = createGenomeOptimizer(genomeFrom('rmsprop'), { totalSteps: 5, registries });
    optimizer.minimize(problem.loss, false, [problem.w]);
    expect(Object.keys(optimizer.stateVariables(problem.w.name))).toEqual([`${problem.w.name}/v`]);
    optimizer.dispose();
    problem.dispose();
  });

  it('runs a primitive with a state slot exactly like the reference, keeping the slot in a variable', () => {
    // Without bias correction: with it, m̂ = g at step 0, so s = (g − m̂)² is pure rounding noise
    // (exactly 0 in float64, not in float32) and m/(√s+ε) is ill-conditioned in any precision.
    // β2 0.9 keeps s well above the cancellation noise of g − m for the same reason.
    const genome = genomeFrom('adam', {
      terms: [
        { primitive: 'belief', alpha: 1 },
        { primitive: 'sign', alpha: 0.1 },
      ],
      lr: 0.05,
      beta2: 0.9,
      biasCorrection: false,
    });
    const report = compareWithReference(genome, { registries: withBelief, steps: 25 });
    expect(report.worstRelativeToScale).toBeLessThan(1e-5);
    expect(report.worstRelativeToMovement).toBeLessThan(2e-5);

    const problem = quadratic(50);
    const optimizer = createGenomeOptimizer(genome, { totalSteps: 5, registries: withBelief });
    optimizer.minimize(problem.loss, false, [problem.w]);
    const slot = optimizer.stateVariables(problem.w.name)[`${problem.w.name}/term0.s`];
    expect(slot).toBeInstanceOf(tf.Variable);
    expect(slot?.trainable).toBe(false);
    expect(tf.max(slot as tf.Tensor).dataSync()[0]).toBeGreaterThan(0);
    optimizer.dispose();
    problem.dispose();
  });

  it.each([
    ['adam', genomeFrom('adam', { lr: 0.05 }), ['m', 'v']],
    // The state slots (adabelief's ema and s) travel too, named after their term.
    [
      'adabelief + lion',
      genomeFrom('adam', {
        lr: 0.05,
        terms: [
          { primitive: 'lion', alpha: 0.2 },
          { primitive: 'adabelief', alpha: 1 },
        ],
      }),
      ['m', 'v', 'term1.ema', 'term1.s'],
    ],
  ] as const)('saves and restores its state through getWeights and setWeights: %s', async (_name, genome, names) => {
    const probe = quadratic(4);
    const named = createGenomeOptimizer(genome, { totalSteps: 1, registries });
    named.minimize(probe.loss, false, [probe.w]);
    expect((await named.getWeights()).map((w) => w.name)).toEqual([
      'iter',
      ...names.map((n) => `${probe.w.name}/${n}`),
    ]);
    named.dispose();
    probe.dispose();

    const run = async (split: boolean): Promise<Float32Array> => {
      const problem = quadratic(20);
      let optimizer = createGenomeOptimizer(genome, { totalSteps: 10, registries });
      for (let step = 0; step < 10; step++) {
        if (split && step === 5) {
          const saved = (await optimizer.getWeights()).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
          optimizer.dispose();
          optimizer = createGenomeOptimizer(genome, { totalSteps: 10, registries });
          await optimizer.setWeights(saved);
          tf.dispose(saved.map((w) => w.tensor));
        }
        optimizer.minimize(problem.loss, false, [problem.w]);
      }
      const result = problem.w.dataSync() as Float32Array;
      optimizer.dispose();
      problem.dispose();
      return result;
    };
    expect(Array.from(await run(true))).toEqual(Array.from(await run(false)));
  });

  it('trains a tfjs-layers model through compile and fit', async () => {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: 1, inputShape: [3], kernelInitializer: 'zeros' })],
    });
    const optimizer = createGenomeOptimizer(genomeFrom('adam', { lr: 0.1 }), { totalSteps: 40, registries });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.tensor2d([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [1, 1, 1],
    ]);
    const y = tf.tensor2d([[1], [-1], [2], [2]]);
    const history = await model.fit(x, y, { epochs: 40, batchSize: 4, verbose: 0, shuffle: false });
    const losses = history.history['loss'] as number[];
    expect(optimizer.step).toBe(40);
    expect(optimizer).toBeInstanceOf(GenomeOptimizer);
    expect(losses[39]).toBeLessThan((losses[0] as number) * 0.1);
    model.dispose();
    optimizer.dispose();
    tf.dispose([x, y]);
  });
});
