import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError, type EvaluationProgress, type Genome } from '@evopt/core';
import type { ForwardContext, ForwardResult } from '../contracts.js';
import { FunctionalModelBase } from '../model/functional-model.js';
import { createGenomeOptimizer } from '../optimizer/genome-optimizer.js';
import { genomeFrom, registries, useCpuBackend } from '../optimizer/__fixtures__/registries.js';
import { createClusters } from '../train/__fixtures__/mlp.js';
import { train } from '../train/train.js';
import { populationParity, relativeError } from './parity.js';
import { PopulationGenomeOptimizer } from './population-optimizer.js';
import { StackedModel } from './stacked-model.js';
import { trainPopulation } from './train-population.js';

const FEATURES = 8;
const CLASSES = 4;
const BATCH = 16;

/** A linear classifier with one buffer: the running mean of its inputs, moved 10% per training pass. */
class Linear extends FunctionalModelBase {
  readonly parameters: readonly tf.Variable[];
  readonly buffers: readonly tf.Variable[];

  constructor(seed: number) {
    super();
    this.parameters = tf.tidy(() => [
      tf.variable(tf.randomNormal([FEATURES, CLASSES], 0, 0.3, 'float32', seed)),
      tf.variable(tf.zeros([CLASSES])),
    ]);
    this.buffers = tf.tidy(() => [tf.variable(tf.zeros([FEATURES]), false)]);
  }

  forward(
    parameters: readonly tf.Tensor[],
    buffers: readonly tf.Tensor[],
    x: tf.Tensor,
    context: ForwardContext,
  ): ForwardResult {
    const [w, b] = parameters as [tf.Tensor2D, tf.Tensor];
    const [mean] = buffers as [tf.Tensor];
    const logits = tf.add(tf.matMul(x as tf.Tensor2D, w), b);
    return { logits, buffers: context.training ? [tf.add(tf.mul(mean, 0.9), tf.mul(tf.mean(x, 0), 0.1))] : buffers };
  }
}

const GENOMES: readonly Genome[] = [
  genomeFrom('adam', { lr: 0.05 }),
  genomeFrom('sgd-momentum', { terms: [{ primitive: 'grad', alpha: 1 }], useM: false, lr: 1e6 }),
  genomeFrom('paper-evolved', { lr: 0.02 }),
];

function setup(steps: number) {
  const data = createClusters(256, FEATURES, CLASSES, 5, BATCH);
  const template = new Linear(3);
  const model = new StackedModel(template, GENOMES.length);
  const optimizer = new PopulationGenomeOptimizer(GENOMES, { totalSteps: steps, registries });
  const dispose = (): void => {
    optimizer.dispose();
    model.dispose();
    template.dispose();
    data.dispose();
  };
  return { data, model, optimizer, dispose };
}

describe('relativeError, the parity measure', () => {
  it('scales by the largest finite reference value and lets equal NaNs and infinities agree', () => {
    expect(relativeError([1, 2.5, NaN, Infinity], [1, 2, NaN, Infinity])).toBe(0.25);
  });

  it('never lets a one-sided NaN or a length mismatch pass a tolerance', () => {
    expect(relativeError([NaN, 1], [0.5, 1])).toBe(Infinity);
    expect(relativeError([0.5, 1], [NaN, 1])).toBe(Infinity);
    expect(relativeError([1, 2, 3], [1, 2])).toBe(Infinity);
  });
});

describe('trainPopulation', () => {
  beforeAll(useCpuBackend);

  it('gives each member the losses, buffers and weights of training it alone, freezing one that diverges', async () => {
    const baseline = tf.memory().numTensors;
    const steps = 12;
    const data = createClusters(256, FEATURES, CLASSES, 5, BATCH);
    const parity = await populationParity({
      create: (seed) => new Linear(seed),
      seed: 3,
      genomes: GENOMES,
      registries,
      steps,
      nextBatch: data.nextBatch,
    });
    expect(parity.together.map((r) => r.status)).toEqual(['ok', 'diverged', 'ok']);
    // On the cpu backend, bit for bit.
    expect(parity).toMatchObject({
      loss: 0,
      parameter: 0,
      buffer: 0,
      mismatches: [],
      active: [true, false, true],
      leaked: 0,
    });
    expect(parity.together.map((r) => r.losses)).toEqual(parity.solo.map((r) => r.losses));
    data.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('parity sees members that do not match: here each model starts from other weights', async () => {
    const data = createClusters(256, FEATURES, CLASSES, 5, BATCH);
    let calls = 0;
    const parity = await populationParity({
      create: (seed) => new Linear(seed + calls++),
      seed: 3,
      genomes: GENOMES.slice(0, 1),
      registries,
      steps: 3,
      nextBatch: data.nextBatch,
    });
    expect(parity.loss).toBeGreaterThan(1e-3);
    expect(parity.parameter).toBeGreaterThan(1e-3);
    expect(parity.buffer).toBe(0); // the running mean follows the inputs only
    data.dispose();
  });

  it('trains a population of one as the genome alone', async () => {
    const data = createClusters(256, FEATURES, CLASSES, 5, BATCH);
    const template = new Linear(3);
    const model = new StackedModel(template, 1);
    const optimizer = new PopulationGenomeOptimizer([GENOMES[2] as Genome], { totalSteps: 5, registries });
    const [result] = await trainPopulation({ model, optimizer, steps: 5, nextBatch: data.nextBatch });
    const soloOptimizer = createGenomeOptimizer(GENOMES[2] as Genome, { totalSteps: 5, registries });
    const solo = await train({ model: template, optimizer: soloOptimizer, steps: 5, nextBatch: data.nextBatch });
    expect(result?.losses).toEqual(solo.losses);
    expect(model.step).toBe(5);
    expect(Array.from(model.parameters[0]?.dataSync() ?? [])).toEqual(
      Array.from(template.parameters[0]?.dataSync() ?? []),
    );
    for (const disposable of [optimizer, soloOptimizer, model, template, data]) disposable.dispose();
  });

  it('reports progress per member at most every progressIntervalMs, and none for a member once it diverged', async () => {
    const { data, model, optimizer, dispose } = setup(6);
    const reports: [number, EvaluationProgress][] = [];
    const results = await trainPopulation({
      model,
      optimizer,
      steps: 6,
      nextBatch: data.nextBatch,
      progressIntervalMs: 0,
      onProgress: (member, progress) => reports.push([member, progress]),
    });
    const diverged = results[1]?.stepsCompleted ?? 0;
    expect(reports.filter(([member]) => member === 0).map(([, p]) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reports.filter(([member]) => member === 1).map(([, p]) => p.step)).toEqual(
      Array.from({ length: diverged - 1 }, (_, i) => i + 1),
    );
    expect(reports[0]?.[1]).toMatchObject({
      totalSteps: 6,
      loss: results[0]?.losses[0],
      stepsPerSecond: expect.any(Number),
    });
    dispose();
  });

  it('rejects with ABORTED between steps once the signal aborts, and refuses a model and optimizer of different sizes', async () => {
    const baseline = tf.memory().numTensors;
    const { data, model, optimizer, dispose } = setup(50);
    const controller = new AbortController();
    controller.abort();
    const error = await trainPopulation({
      model,
      optimizer,
      steps: 50,
      nextBatch: data.nextBatch,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(isEvoptError(error, 'ABORTED')).toBe(true);
    const other = new PopulationGenomeOptimizer(GENOMES.slice(0, 2), { totalSteps: 50, registries });
    await expect(trainPopulation({ model, optimizer: other, steps: 50, nextBatch: data.nextBatch })).rejects.toThrow(
      /one genome per member/,
    );
    dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
