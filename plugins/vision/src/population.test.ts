// The acceptance test of population training: P genomes trained together on stacked parameters
// give what each genome gives alone (same seed, same batches), model by model.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { baselineGenome, parseGenome, Rng, type Genome } from '@evopt/core';
import { populationParity, type FunctionalModelBase, type TrainingBatch } from '@evopt/tfjs';
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
    terms: [
      { primitive: 'sign', alpha: 0.3 },
      { primitive: 'momentum', alpha: 1 },
    ],
    lr: 0.02,
    clip: 0.5,
    weightDecay: 0.05,
    schedule: { id: 'warmup-cosine', params: { warmupSteps: 3 } },
  }),
  genome('sgd-momentum', { terms: [{ primitive: 'grad', alpha: 1 }], useM: false, lr: 5e3 }),
];

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

describe.each(CASES)('population training of the $name', ({ create, features, steps, batch }) => {
  beforeAll(useTestBackend);

  it('matches training each genome alone: losses, divergence step, parameters, buffers and accuracy', async () => {
    const nextBatch = batches(features, batch, steps);
    const scoring = nextBatch(0);
    const parity = await populationParity({
      create,
      seed: SEED,
      genomes: GENOMES,
      registries,
      steps,
      nextBatch,
      scoring: { batch: scoring, batchSize: batch },
    });
    expect(parity.solo.map((r) => r.status)).toEqual(['ok', 'ok', 'diverged']);
    expect(parity.mismatches).toEqual([]);
    expect(parity.together.map((r) => r.losses.length)).toEqual(parity.solo.map((r) => r.losses.length));
    expect(parity.loss).toBeLessThan(1e-4);
    expect(parity.parameter).toBeLessThan(1e-5);
    expect(parity.buffer).toBeLessThan(1e-5);
    expect(parity.accuracies.map((a) => a.member)).toEqual([0, 1]);
    for (const { alone, together } of parity.accuracies) expect(together).toBe(alone);
    expect(parity.active).toEqual([true, true, false]);
    expect(parity.leaked).toBe(0);
    tf.dispose([scoring.x, scoring.y]);
  });
});
