/**
 * The checks of `npm run check:gpu` that run on the backend under test (in runner.ts). Each
 * returns one CheckLine with its figures; none throws for a failed check.
 */
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { baselineGenome, parseGenome, Rng, type Genome } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import { CifarCnn, SmallCnn } from '@evopt/plugin-vision';
import {
  populationParity,
  relativeError,
  type BackendChoice,
  type FunctionalModel,
  type TrainingBatch,
} from '@evopt/tfjs';
import { checkPrimitiveTensors, TENSOR_CASES, TENSOR_RTOL } from '@evopt/testing-tfjs';
import { builtinRegistries, optimizerTrace, TRACE_STEPS } from './optimizer-trace.js';
import { OPTIMIZER_RTOL, type CheckLine, type ParityTolerance } from './protocol.js';

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const exp = (x: number): string => (x === 0 ? '0' : x.toExponential(1));

/** Every built-in primitive through the optimizer's tensor ops, against its float32 plain-number result. */
export async function checkPrimitives(backend: BackendChoice): Promise<CheckLine> {
  const began = performance.now();
  const definitions = primitives.primitives ?? [];
  const problems: string[] = [];
  for (const definition of definitions) {
    for (const violation of await checkPrimitiveTensors(definition, { backend }))
      problems.push(`[${violation.rule}] ${violation.message}`);
  }
  return {
    type: 'check',
    name: 'primitives: tensor conformance',
    ok: problems.length === 0,
    figures:
      `${definitions.length} primitives × ${TENSOR_CASES.length} tensor cases, values within rtol ${TENSOR_RTOL} of float32 numbers: ` +
      `${problems.length} violation${problems.length === 1 ? '' : 's'} (${seconds(began)})`,
    ...(problems.length ? { detail: problems.join('\n') } : {}),
  };
}

/** The cpu backend's trace, computed in a worker thread (its own tfjs engine). */
export function cpuReferenceTrace(): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./cpu-reference.js', import.meta.url));
    worker.once('message', (trace: number[][]) => {
      resolve(trace);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** The genome optimizer here against the same steps on the cpu backend. */
export async function checkOptimizer(reference: Promise<number[][]>): Promise<CheckLine> {
  const began = performance.now();
  const mine = optimizerTrace();
  let theirs: number[][];
  try {
    theirs = await reference;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { type: 'check', name: 'genome optimizer vs cpu backend', ok: false, figures: 'no cpu reference', detail };
  }
  let worst = 0;
  let worstAbsolute = 0;
  mine.forEach((weights, g) => {
    const cpu = theirs[g] ?? [];
    worst = Math.max(worst, relativeError(weights, cpu));
    weights.forEach((w, i) => {
      worstAbsolute = Math.max(worstAbsolute, Math.abs(w - (cpu[i] ?? Number.NaN)) || 0);
    });
  });
  const ok = mine.length === theirs.length && worst <= OPTIMIZER_RTOL;
  return {
    type: 'check',
    name: 'genome optimizer vs cpu backend',
    ok,
    figures:
      `${mine.length} genomes × ${TRACE_STEPS} steps: max rel diff ${exp(worst)} (tolerance ${exp(OPTIMIZER_RTOL)}), ` +
      `max abs diff ${exp(worstAbsolute)} (${seconds(began)})`,
  };
}

/** Adam; the paper's evolved genome (warmup-cosine, its terms); plain SGD at an lr that blows up. */
const PARITY_GENOMES: readonly Genome[] = [
  parseGenome({ ...baselineGenome('adam'), lr: 2e-3 }),
  baselineGenome('paper-evolved'),
  parseGenome({ ...baselineGenome('sgd-momentum'), terms: [{ primitive: 'grad', alpha: 1 }], useM: false, lr: 5e3 }),
];
const SCORING_BATCH = 16;

export interface ParityCase {
  readonly name: string;
  readonly create: (seed: number) => FunctionalModel;
  readonly features: number;
  readonly steps: number;
  readonly batch: number;
}

export const PARITY_CASES: readonly ParityCase[] = [
  { name: 'SmallCNN', create: (seed) => new SmallCnn(seed), features: 784, steps: 4, batch: 8 },
  { name: 'CIFAR CNN', create: (seed) => new CifarCnn(seed), features: 3072, steps: 3, batch: 4 },
];

/** Seeded batches, the same at every call: fresh tensors, as the training loops dispose them. */
function batches(
  features: number,
  batch: number,
  steps: number,
): { next: (step: number) => TrainingBatch; scoring: TrainingBatch } {
  const rng = Rng.fromSeed(17);
  const draw = (rows: number) => ({
    x: Float32Array.from({ length: rows * features }, () => rng.normal(0, 1)),
    y: Int32Array.from({ length: rows }, () => rng.int(0, 9)),
  });
  const data = Array.from({ length: steps }, () => draw(batch));
  const scoring = draw(SCORING_BATCH);
  const tensors = ({ x, y }: { x: Float32Array; y: Int32Array }, rows: number): TrainingBatch => ({
    x: tf.tensor2d(x.slice(), [rows, features]),
    y: tf.tensor1d(y.slice(), 'int32'),
  });
  return {
    next: (step) => tensors(data[step] as { x: Float32Array; y: Int32Array }, batch),
    scoring: tensors(scoring, SCORING_BATCH),
  };
}

/** P = 3 genomes trained together against each trained alone, on this backend. */
export async function checkPopulation(parityCase: ParityCase, tolerance: ParityTolerance): Promise<CheckLine> {
  const began = performance.now();
  const { next, scoring } = batches(parityCase.features, parityCase.batch, parityCase.steps);
  const parity = await populationParity({
    create: parityCase.create,
    seed: 17,
    genomes: PARITY_GENOMES,
    registries: builtinRegistries(),
    steps: parityCase.steps,
    nextBatch: next,
    scoring: { batch: scoring, batchSize: SCORING_BATCH },
  });
  tf.dispose([scoring.x, scoring.y]);
  const accuracy = parity.accuracies.reduce((worst, a) => Math.max(worst, Math.abs(a.together - a.alone)), 0);
  const failures = [
    ...parity.mismatches,
    ...(parity.loss > tolerance.loss ? [`loss differs by ${exp(parity.loss)} > ${exp(tolerance.loss)}`] : []),
    ...(parity.parameter > tolerance.parameter
      ? [`parameters differ by ${exp(parity.parameter)} > ${exp(tolerance.parameter)}`]
      : []),
    ...(parity.buffer > tolerance.buffer ? [`buffers differ by ${exp(parity.buffer)} > ${exp(tolerance.buffer)}`] : []),
    ...(accuracy > tolerance.accuracy ? [`accuracy differs by ${accuracy} > ${tolerance.accuracy}`] : []),
    ...(parity.leaked !== 0 ? [`${parity.leaked} tensors left behind`] : []),
  ];
  const statuses = parity.together.map((r) => r.status).join('/');
  return {
    type: 'check',
    name: `population P=3 = one by one: ${parityCase.name}`,
    ok: failures.length === 0,
    figures:
      `${parityCase.steps} steps, batch ${parityCase.batch}: max rel diff loss ${exp(parity.loss)}, parameters ${exp(parity.parameter)}, ` +
      `buffers ${exp(parity.buffer)}; accuracy Δ ${accuracy}; ${statuses}; ${parity.leaked} tensors leaked (${seconds(began)})`,
    ...(failures.length ? { detail: failures.join('; ') } : {}),
  };
}
