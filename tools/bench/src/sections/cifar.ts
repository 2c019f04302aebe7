import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { baselineGenome, InlineEvaluator, Rng, type LoadedRegistries } from '@evopt/core';
import {
  CIFAR_AUGMENTATION,
  imageBatchSource,
  loadDataset,
  NORMALISATION,
  splitImages,
  type Dataset,
} from '@evopt/plugin-vision';
import { initBackend } from '@evopt/tfjs';
import type { Report } from '../report.js';
import { timeAsync } from '../report.js';
import { writeSyntheticDatasets } from '../synthetic-data.js';
import { evaluatorContext } from './context.js';
import { collectingSink, requestsFor, torchGenome } from './requests.js';
import { runTorch, torchUnavailable } from './torch.js';

/** Training steps timed for the CIFAR CNN (after a warm-up evaluation). */
const STEPS = 12;

/**
 * CIFAR-10 at full size: loading and decoding the six binary batches, the cost of assembling an
 * augmented batch, and the CIFAR CNN's training throughput on wasm through the real task path,
 * next to PyTorch's for the same architecture. The files are synthetic (seeded random pixels in the
 * real format): the real ones cannot be downloaded here, and neither speed depends on pixel values.
 */
export async function cifarSection(report: Report, loaded: LoadedRegistries): Promise<void> {
  report.heading('CIFAR-10 at full size (synthetic files in the real binary format)');
  const dataDir = join(tmpdir(), 'evopt-bench-data');
  mkdirSync(dataDir, { recursive: true });
  writeSyntheticDatasets(dataDir);

  const load = await timeAsync(() => loadDataset('cifar10', dataDir));
  report.add(
    'cifarLoadSeconds',
    load.seconds,
    'Load and decode CIFAR-10 (60,000 images, 6 files)',
    `${load.seconds.toFixed(2)} s (goal < 3 s)`,
  );

  const allocation = batchAllocation(dataDir);
  if (allocation) {
    report.add(
      'batchAllocationRatio',
      allocation.ratio,
      'Array bytes allocated per augmented batch / the batch itself',
      `${allocation.ratio.toFixed(2)}× (${(allocation.typedBytesPerStep / 1e6).toFixed(2)} MB of typed arrays per step for a ${(allocation.batchBytes / 1e6).toFixed(2)} MB batch; goal ≤ 1.0×)`,
    );
    if (allocation.collections > 0)
      report.note(
        `JS heap growth during batch assembly not counted: ${allocation.collections} garbage collection(s) ran while measuring`,
      );
  } else {
    report.note('batch allocation not measured: the child process failed');
  }

  await initBackend('wasm'); // the backend the tasks below use on this thread
  const assembly = assemblyMs(load.value);
  report.add(
    'batchAssemblyMs',
    assembly,
    'Time to assemble an augmented batch of 128 (bytes → normalised float32)',
    `${assembly.toFixed(2)} ms`,
  );

  const adam = baselineGenome('adam');
  const context = { ...evaluatorContext(loaded, { cifar10: { batchSize: 128 } }), dataDir };
  const evaluator = new InlineEvaluator(context);
  try {
    await evaluator.evaluate(requestsFor(adam, loaded.registries, 'cifar10', 2, 1), collectingSink()); // warm-up: data, kernels
    const sink = collectingSink();
    await evaluator.evaluate(requestsFor(adam, loaded.registries, 'cifar10', STEPS, 1), sink);
    const stepsPerSecond = sink.records[0]?.metrics['stepsPerSecond'] ?? Number.NaN;
    report.add(
      'cifarStepsPerSecond',
      stepsPerSecond,
      'CIFAR CNN on wasm, batch 128 (evopt, one worker)',
      `${stepsPerSecond.toFixed(2)} steps/s`,
    );
    const unavailable = torchUnavailable();
    if (unavailable) {
      report.note(`PyTorch reference skipped: ${unavailable}`);
    } else {
      const torch = runTorch(torchGenome(adam), 'cifar', STEPS * 2);
      report.add(
        'cifarTorchStepsPerSecond',
        torch.steps_per_s,
        'CIFAR CNN on PyTorch, 2 threads',
        `${torch.steps_per_s.toFixed(2)} steps/s`,
      );
      report.add(
        'cifarRatioToTorch',
        stepsPerSecond / torch.steps_per_s,
        'CIFAR CNN ratio evopt / PyTorch (one worker vs 2 threads)',
        `${(stepsPerSecond / torch.steps_per_s).toFixed(2)}× (goal ≥ 1.0×)`,
      );
    }
  } finally {
    await evaluator.close();
  }
}

/** Mean time to assemble one augmented batch of 128 from the training subset, tensors excluded. */
function assemblyMs(dataset: Dataset): number {
  const { train } = splitImages(dataset, { trainSubset: 15_000, validationSize: 5_000 });
  const next = imageBatchSource(train.set, train.rows, 128, Rng.fromSeed(1), {
    normalisation: NORMALISATION.cifar10,
    augment: CIFAR_AUGMENTATION,
  });
  for (let step = 0; step < 5; step++) tf.dispose(Object.values(next(step)));
  const began = performance.now();
  const steps = 40;
  for (let step = 5; step < 5 + steps; step++) tf.dispose(Object.values(next(step)));
  return (performance.now() - began) / steps;
}

interface Allocation {
  readonly bytesPerStep: number;
  readonly typedBytesPerStep: number;
  readonly collections: number;
  readonly batchBytes: number;
  readonly ratio: number;
  readonly msPerStep: number;
}

/**
 * Bytes allocated per batch by the CIFAR batch source, measured in a child process that counts
 * every typed array allocated while batches are assembled (see probes/batch-allocation.ts).
 */
function batchAllocation(dataDir: string): Allocation | null {
  const script = fileURLToPath(new URL('../probes/batch-allocation.js', import.meta.url));
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=512', script, dataDir], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (run.status !== 0) return null;
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as Allocation;
}
