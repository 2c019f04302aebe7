// Child process of the bench's CIFAR section: how many bytes assembling one augmented CIFAR batch
// allocates. Typed arrays are counted exactly (their constructors are wrapped); other JS
// allocations show as heap growth, measured while a GC observer confirms no collection ran.
import { PerformanceObserver } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@evopt/core';
import { CIFAR_AUGMENTATION, imageBatchSource, loadDataset, NORMALISATION, splitImages } from '@evopt/plugin-vision';

const BATCH = 128;
const STEPS = 20;

let typedBytes = 0;
let counting = false;
for (const name of ['Float32Array', 'Int32Array', 'Uint8Array', 'Float64Array', 'Uint32Array'] as const) {
  const Base = globalThis[name] as unknown as new (...args: unknown[]) => ArrayBufferView;
  const Counted = new Proxy(Base, {
    construct(target, args, newTarget) {
      const array = Reflect.construct(target, args, newTarget) as ArrayBufferView;
      // A view on an existing buffer allocates no data.
      if (counting && !(args[0] instanceof ArrayBuffer)) typedBytes += array.byteLength;
      return array;
    },
  });
  (globalThis as Record<string, unknown>)[name] = Counted;
}

async function main(dataDir: string): Promise<void> {
  await tf.setBackend('cpu');
  const dataset = await loadDataset('cifar10', dataDir);
  const { train } = splitImages(dataset, { trainSubset: 15_000, validationSize: 5_000 });
  const next = imageBatchSource(train.set, train.rows, BATCH, Rng.fromSeed(1), {
    normalisation: NORMALISATION.cifar10,
    augment: CIFAR_AUGMENTATION,
  });
  const assemble = (step: number): void => tf.dispose(Object.values(next(step)));
  for (let step = 0; step < 5; step++) assemble(step); // warm up the JIT
  (globalThis as { gc?: () => void }).gc?.();
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  observer.observe({ entryTypes: ['gc'] });
  const heapBefore = process.memoryUsage().heapUsed;
  counting = true;
  const began = performance.now();
  for (let step = 5; step < 5 + STEPS; step++) assemble(step);
  const ms = performance.now() - began;
  counting = false;
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const batchBytes = BATCH * 32 * 32 * 3 * 4 + BATCH * 4;
  const bytesPerStep = typedBytes / STEPS + (collections === 0 ? Math.max(0, heapGrowth) / STEPS : 0);
  console.log(
    JSON.stringify({
      bytesPerStep,
      typedBytesPerStep: typedBytes / STEPS,
      heapBytesPerStep: heapGrowth / STEPS,
      collections,
      batchBytes,
      ratio: bytesPerStep / batchBytes,
      msPerStep: ms / STEPS,
    }),
  );
}

await main(process.argv[2] as string);
