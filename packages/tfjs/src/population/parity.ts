/**
 * The acceptance check of population training, shared by the tests and `npm run check:gpu`:
 * P genomes trained together on stacked parameters must end where each ends alone (same seed,
 * same batches). This trains both ways and measures how far apart they are; the caller decides
 * the tolerance (bit for bit on cpu and wasm, a little slack on a GPU).
 */
import * as tf from '@tensorflow/tfjs-core';
import { isDivergedLoss, type Genome } from '@evopt/core';
import type { FunctionalModel, TrainingBatch, TrainResult } from '../contracts.js';
import { createGenomeOptimizer, type GenomeOptimizerOptions } from '../optimizer/genome-optimizer.js';
import { evaluateAccuracy } from '../train/evaluate.js';
import { train } from '../train/train.js';
import { PopulationGenomeOptimizer } from './population-optimizer.js';
import { StackedModel } from './stacked-model.js';
import { trainPopulation } from './train-population.js';

export interface PopulationParityOptions {
  /** A fresh model initialised from `seed`: called once per genome alone, and once as the template. */
  readonly create: (seed: number) => FunctionalModel;
  readonly seed: number;
  readonly genomes: readonly Genome[];
  readonly registries: GenomeOptimizerOptions['registries'];
  readonly steps: number;
  /** Fresh tensors for each call: both training loops dispose them. */
  readonly nextBatch: (step: number) => TrainingBatch;
  /** Scores each member that did not diverge, both ways; kept, not disposed. */
  readonly scoring?: { readonly batch: TrainingBatch; readonly batchSize: number };
}

export interface PopulationParity {
  readonly solo: readonly TrainResult[];
  readonly together: readonly TrainResult[];
  /** Worst |together − alone| / |alone| (absolute where alone is 0) over the steps where the solo loss did not diverge. */
  readonly loss: number;
  /** Worst |together − alone| over the largest finite |alone| of that variable, over every member's parameters. */
  readonly parameter: number;
  /** The same for buffers (batch norm's running statistics); 0 for a model without any. */
  readonly buffer: number;
  /** Members whose status, step count, or divergence step by step differ: empty when they agree. */
  readonly mismatches: readonly string[];
  /** Accuracy on `scoring` of each member that did not diverge, alone and together. */
  readonly accuracies: readonly { readonly member: number; readonly alone: number; readonly together: number }[];
  /** The population optimizer's active flags at the end: false for a member it froze. */
  readonly active: readonly boolean[];
  /** Tensors the population run left behind once its model and optimizer were disposed. */
  readonly leaked: number;
}

/**
 * Worst |a − b| over the largest finite |b|, element by element; equal NaNs or infinities agree.
 * A NaN on one side only, or arrays of different lengths, is Infinity: never below a tolerance.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  for (let i = 0; i < b.length; i++) if (Number.isFinite(b[i])) scale = Math.max(scale, Math.abs(b[i] as number));
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    if (Object.is(a[i], b[i])) continue;
    const error = Math.abs((a[i] as number) - (b[i] as number)) / (scale || 1);
    worst = Number.isNaN(error) ? Number.POSITIVE_INFINITY : Math.max(worst, error);
  }
  return worst;
}

/** Member p's values of a stacked variable [P, …]. */
function memberValues(variable: tf.Variable, p: number, size: number): Float32Array {
  const values = variable.dataSync() as Float32Array;
  const length = values.length / size;
  return values.slice(p * length, (p + 1) * length);
}

/** Trains each genome alone and all together, and says how far apart they end. */
export async function populationParity(options: PopulationParityOptions): Promise<PopulationParity> {
  const { create, seed, genomes, registries, steps, nextBatch, scoring } = options;
  const score = (model: Parameters<typeof evaluateAccuracy>[0]) =>
    scoring ? evaluateAccuracy(model, scoring.batch.x, scoring.batch.y, scoring.batchSize) : Number.NaN;

  const solo = [];
  for (const genome of genomes) {
    const model = create(seed);
    const optimizer = createGenomeOptimizer(genome, { totalSteps: steps, registries });
    const result = await train({ model, optimizer, steps, nextBatch });
    solo.push({
      result,
      parameters: model.parameters.map((v) => v.dataSync().slice()),
      buffers: model.buffers.map((v) => v.dataSync().slice()),
      accuracy: result.status === 'ok' ? score(model) : Number.NaN,
    });
    model.dispose();
    optimizer.dispose();
  }

  const before = tf.memory().numTensors;
  const template = create(seed);
  const model = new StackedModel(template, genomes.length);
  const optimizer = new PopulationGenomeOptimizer(genomes, { totalSteps: steps, registries });
  const together = await trainPopulation({ model, optimizer, steps, nextBatch });

  const parity = { loss: 0, parameter: 0, buffer: 0 };
  const mismatches: string[] = [];
  const accuracies: { member: number; alone: number; together: number }[] = [];
  solo.forEach((alone, p) => {
    const mine = together[p] as TrainResult;
    if (mine.status !== alone.result.status)
      mismatches.push(`member ${p}: ${mine.status} together, ${alone.result.status} alone`);
    if (mine.stepsCompleted !== alone.result.stepsCompleted) {
      mismatches.push(`member ${p}: ${mine.stepsCompleted} steps together, ${alone.result.stepsCompleted} alone`);
    }
    mine.losses.forEach((loss, step) => {
      const expected = alone.result.losses[step];
      if (expected === undefined) return;
      if (isDivergedLoss(expected) !== isDivergedLoss(loss))
        mismatches.push(`member ${p}: step ${step} loss ${loss} together, ${expected} alone`);
      else if (!isDivergedLoss(expected) && loss !== expected)
        parity.loss = Math.max(parity.loss, Math.abs(loss - expected) / (Math.abs(expected) || 1));
    });
    // A diverged member is frozen at its last update, as the solo run stopped there.
    model.parameters.forEach((v, i) => {
      parity.parameter = Math.max(
        parity.parameter,
        relativeError(memberValues(v, p, genomes.length), alone.parameters[i] as Float32Array),
      );
    });
    model.buffers.forEach((v, i) => {
      parity.buffer = Math.max(
        parity.buffer,
        relativeError(memberValues(v, p, genomes.length), alone.buffers[i] as Float32Array),
      );
    });
    if (scoring && alone.result.status === 'ok')
      accuracies.push({ member: p, alone: alone.accuracy, together: score(model.member(p)) });
  });
  const active = [...optimizer.active];
  optimizer.dispose();
  model.dispose();
  template.dispose();
  return {
    solo: solo.map((s) => s.result),
    together,
    ...parity,
    mismatches,
    accuracies,
    active,
    leaked: tf.memory().numTensors - before,
  };
}
