// The acceptance test of population training: P genomes trained together on stacked parameters
// give what each genome gives alone (same seed, same batches), model by model.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineGenome, isDivergedLoss, parseGenome, Rng, type Genome } from '@evopt/core';
import {
  createGenomeOptimizer, evaluateAccuracy, PopulationGenomeOptimizer, StackedModel, train, trainPopulation,
  type FunctionalModelBase, type TrainingBatch, type TrainResult,
} from '@evopt/tfjs';
import { useTestBackend } from './__fixtures__/backend.js';
import { visionRegistries } from './__fixtures__/registries.js';
import { CifarCnn } from './models/cifar-cnn.js';
import { Mlp } from './models/mlp.js';
import { SmallCnn } from './models/small-cnn.js';

const registries = visionRegistries();

const SEED = 17;
const genome = (id: string, changes: Partial<Genome>): Genome => parseGenome({ ...baselineGenome(id), ...changes });

/** Adam with bias correction; sign + momentum with clip, weight decay and warmup-cosine; plain SGD at an lr that blows up. */
const GENOMES: readonly Genome[] = [
  genome('adam', { lr: 2e-3 }),
  genome('sgd-momentum', {
    terms: [{ primitive: 'sign', alpha: 0.3 }, { primitive: 'momentum', alpha: 1 }],
    lr: 0.02, clip: 0.5, weightDecay: 0.05, schedule: { id: 'warmup-cosine', params: { warmupSteps: 3 } },
  }),
  genome('sgd-momentum', { terms: [{ primitive: 'grad', alpha: 1 }], useM: false, lr: 5e3 }),
];
const DIVERGING = 2;

interface Case {
  readonly name: string;
  readonly create: (seed: number) => FunctionalModelBase;
  readonly features: number;
  readonly steps: number;
  readonly batch: number;
}

const CASES: readonly Case[] = [
  { name: 'Mlp', create: (seed) => new Mlp(seed), features: 784, steps: 10, batch: 16 },
  { name: 'SmallCnn', create: (seed) => new SmallCnn(seed), features: 784, steps: 4, batch: 8 },
  { name: 'CifarCnn (batch-norm buffers)', create: (seed) => new CifarCnn(seed), features: 3072, steps: 3, batch: 4 },
];

/** The same seeded batches for every run: fresh tensors at each call, as the loops dispose them. */
function batches(features: number, batch: number, steps: number): (step: number) => TrainingBatch {
  const rng = Rng.fromSeed(SEED);
  const data = Array.from({ length: steps }, () => ({
    x: Float32Array.from({ length: batch * features }, () => rng.normal(0, 1)),
    y: Int32Array.from({ length: batch }, () => rng.int(0, 9)),
  }));
  return (step) => {
    const { x, y } = data[step] as { x: Float32Array; y: Int32Array };
    return { x: tf.tensor2d(x.slice(), [batch, features]), y: tf.tensor1d(y.slice(), 'int32') };
  };
}

/** Worst |a − b| over the largest |b|, element by element; NaN where both are NaN (or equal infinities) agrees. */
function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i] as number));
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / (scale || 1));
  }
  return worst;
}

/** Member p's values of a stacked variable [P, …]. */
function memberValues(variable: tf.Variable, p: number, size: number): Float32Array {
  const values = variable.dataSync() as Float32Array;
  const length = values.length / size;
  return values.slice(p * length, (p + 1) * length);
}

describe.each(CASES)('population training of the $name', ({ create, features, steps, batch }) => {
  beforeAll(useTestBackend);

  it('matches training each genome alone: losses, divergence step, parameters, buffers and accuracy', async () => {
    const nextBatch = batches(features, batch, steps);
    const scoring = nextBatch(0);

    // Each genome alone: a fresh model from the shared seed, a GenomeOptimizer, train().
    const solo = await Promise.all(GENOMES.map(async (g) => {
      const model = create(SEED);
      const optimizer = createGenomeOptimizer(g, { totalSteps: steps, registries });
      const result = await train({ model, optimizer, steps, nextBatch });
      const state = {
        result,
        parameters: model.parameters.map((v) => v.dataSync().slice()),
        buffers: model.buffers.map((v) => v.dataSync().slice()),
        accuracy: evaluateAccuracy(model, scoring.x, scoring.y, batch),
      };
      model.dispose();
      optimizer.dispose();
      return state;
    }));
    expect(solo[DIVERGING]?.result.status).toBe('diverged');
    expect(solo.slice(0, DIVERGING).every((s) => s.result.status === 'ok')).toBe(true);

    const before = tf.memory().numTensors;
    const template = create(SEED);
    const model = new StackedModel(template, GENOMES.length);
    const optimizer = new PopulationGenomeOptimizer(GENOMES, { totalSteps: steps, registries });
    const results: TrainResult[] = await trainPopulation({ model, optimizer, steps, nextBatch });

    const worst = { loss: 0, parameter: 0, buffer: 0 };
    GENOMES.forEach((_, p) => {
      const alone = solo[p] as (typeof solo)[number];
      const together = results[p] as TrainResult;
      expect(together.status).toBe(alone.result.status);
      expect(together.stepsCompleted).toBe(alone.result.stepsCompleted);
      expect(together.losses).toHaveLength(alone.result.losses.length);
      together.losses.forEach((loss, step) => {
        const expected = alone.result.losses[step] as number;
        if (isDivergedLoss(expected)) expect(isDivergedLoss(loss)).toBe(true);
        else worst.loss = Math.max(worst.loss, Math.abs(loss - expected) / Math.abs(expected));
      });
      // The diverged member is frozen at its last update, as the solo run stopped there.
      model.parameters.forEach((v, i) => { worst.parameter = Math.max(worst.parameter, relativeError(memberValues(v, p, 3), alone.parameters[i] as Float32Array)); });
      model.buffers.forEach((v, i) => { worst.buffer = Math.max(worst.buffer, relativeError(memberValues(v, p, 3), alone.buffers[i] as Float32Array)); });
      if (p !== DIVERGING) expect(evaluateAccuracy(model.member(p), scoring.x, scoring.y, batch)).toBe(alone.accuracy);
    });
    expect(worst.loss).toBeLessThan(1e-4);
    expect(worst.parameter).toBeLessThan(1e-5);
    expect(worst.buffer).toBeLessThan(1e-5);
    expect(model.membersFinite().slice(0, DIVERGING)).toEqual([true, true]);
    expect(optimizer.active).toEqual([true, true, false]);

    optimizer.dispose();
    model.dispose();
    template.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([scoring.x, scoring.y]);
  });
});
