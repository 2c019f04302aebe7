import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError, type EvaluationProgress } from '@evopt/core';
import { genomeFrom, registries, useCpuBackend } from '../optimizer/__fixtures__/registries.js';
import { createGenomeOptimizer } from '../optimizer/genome-optimizer.js';
import { createClusters, createMlp } from './__fixtures__/mlp.js';
import { evaluateAccuracy } from './evaluate.js';
import { layersTrainableModel } from './layers-model.js';
import { train } from './train.js';

const FEATURES = 8;
const CLASSES = 4;
const BATCH = 32;

function setup(genomeId: string, steps: number, changes = {}) {
  const data = createClusters(512, FEATURES, CLASSES, 11, BATCH);
  const model = createMlp(FEATURES, 32, CLASSES, 5);
  const optimizer = createGenomeOptimizer(genomeFrom(genomeId, changes), { totalSteps: steps, registries });
  const dispose = (): void => {
    model.dispose();
    optimizer.dispose();
    data.dispose();
  };
  return { data, model, optimizer, dispose };
}

describe('train', () => {
  beforeAll(useCpuBackend);

  it('trains an MLP to high accuracy on separable clusters with the Adam genome', async () => {
    const { data, model, optimizer, dispose } = setup('adam', 150, { lr: 1e-2 });
    const before = evaluateAccuracy(model, data.x, data.y, 100);
    const result = await train({ model, optimizer, steps: 150, nextBatch: data.nextBatch });
    expect(result.status).toBe('ok');
    expect(result.stepsCompleted).toBe(150);
    expect(result.losses).toHaveLength(150);
    expect(result.stepsPerSecond).toBeGreaterThan(0);
    expect(result.losses.slice(-10).every((loss) => loss < 0.1)).toBe(true);
    expect(before).toBeLessThan(0.7);
    expect(evaluateAccuracy(model, data.x, data.y, 100)).toBeGreaterThan(0.97);
    dispose();
  });

  it('stops with status diverged, not an exception, when the loss blows up', async () => {
    const { data, model, optimizer, dispose } = setup('sgd-momentum', 100, { lr: 1e3 });
    const result = await train({ model, optimizer, steps: 100, nextBatch: data.nextBatch });
    expect(result.status).toBe('diverged');
    expect(result.stepsCompleted).toBeLessThan(100);
    expect(result.losses).toHaveLength(result.stepsCompleted);
    const last = result.losses.at(-1) as number;
    expect(Number.isNaN(last) || last > 50).toBe(true);
    dispose();
  });

  it('reports progress at most every progressIntervalMs', async () => {
    const { data, model, optimizer, dispose } = setup('adam', 10);
    const every: EvaluationProgress[] = [];
    await train({
      model,
      optimizer,
      steps: 10,
      nextBatch: data.nextBatch,
      progressIntervalMs: 0,
      onProgress: (p) => every.push(p),
    });
    expect(every.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(every[9]).toMatchObject({ totalSteps: 10, loss: expect.any(Number), stepsPerSecond: expect.any(Number) });
    const none: EvaluationProgress[] = [];
    await train({
      model,
      optimizer,
      steps: 10,
      nextBatch: data.nextBatch,
      progressIntervalMs: 1e9,
      onProgress: (p) => none.push(p),
    });
    expect(none).toEqual([]);
    dispose();
  });

  it('rejects with ABORTED between steps once the signal aborts, freeing the batches', async () => {
    const baseline = tf.memory().numTensors;
    const { data, model, optimizer, dispose } = setup('adam', 50);
    const controller = new AbortController();
    let batches = 0;
    const nextBatch = (step: number) => {
      batches += 1;
      if (step === 4) setTimeout(() => controller.abort(), 0);
      return data.nextBatch(step);
    };
    // A slow enough step that the timer fires while training is still going.
    const slow = (step: number) => {
      const started = performance.now();
      while (performance.now() - started < 15);
      return nextBatch(step);
    };
    const error = await train({ model, optimizer, steps: 50, nextBatch: slow, signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(isEvoptError(error, 'ABORTED')).toBe(true);
    expect(batches).toBeLessThan(50);
    dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('leaks no tensors across a whole run and evaluation', async () => {
    const baseline = tf.memory().numTensors;
    const { data, model, optimizer, dispose } = setup('paper-evolved', 30);
    await train({ model, optimizer, steps: 30, nextBatch: data.nextBatch });
    evaluateAccuracy(model, data.x, data.y, 100);
    dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });

  it('trains a tfjs-layers model through layersTrainableModel', async () => {
    const data = createClusters(256, FEATURES, CLASSES, 3, BATCH);
    const layers = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 16,
          inputShape: [FEATURES],
          activation: 'relu',
          kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
        }),
        tfl.layers.dropout({ rate: 0.1, seed: 2 }),
        tfl.layers.dense({ units: CLASSES, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }),
      ],
    });
    const model = layersTrainableModel(layers);
    expect(model.trainableVariables).toHaveLength(4);
    const optimizer = createGenomeOptimizer(genomeFrom('adam', { lr: 1e-2 }), { totalSteps: 60, registries });
    const result = await train({ model, optimizer, steps: 60, nextBatch: data.nextBatch });
    expect(result.status).toBe('ok');
    expect(evaluateAccuracy(model, data.x, data.y, 64)).toBeGreaterThan(0.9);
    model.dispose();
    optimizer.dispose();
    data.dispose();
  });
});

describe('evaluateAccuracy', () => {
  beforeAll(useCpuBackend);

  it('counts a last partial batch and agrees with one full batch', () => {
    const data = createClusters(103, FEATURES, CLASSES, 9, BATCH);
    const model = createMlp(FEATURES, 8, CLASSES, 1);
    const baseline = tf.memory().numTensors;
    const whole = evaluateAccuracy(model, data.x, data.y, 103);
    expect(evaluateAccuracy(model, data.x, data.y, 10)).toBe(whole);
    expect(Math.round(whole * 103)).toBeCloseTo(whole * 103, 9);
    expect(tf.memory().numTensors).toBe(baseline);
    expect(() => evaluateAccuracy(model, data.x, data.y, 0)).toThrow(/positive integer batch size/);
    model.dispose();
    data.dispose();
  });
});
