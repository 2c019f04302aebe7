/**
 * The part of `npm run check:gpu` that runs on the backend under test, in its own process so that
 * the command can read TensorFlow's device log (stderr) and free the GPU before bench:gpu starts.
 * Writes one JSON line per check (protocol.ts) on stdout.
 *
 *   node tools/bench/dist/check-gpu/runner.js --backend tensorflow|wasm|cpu
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendChoice } from '@evopt/tfjs';
import { checkOptimizer, checkPopulation, checkPrimitives, cpuReferenceTrace, PARITY_CASES } from './checks.js';
import { EXACT_PARITY, GPU_PARITY, type RunnerLine } from './protocol.js';

const emit = (line: RunnerLine): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

const firstLine = (error: unknown): string =>
  error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);

async function main(argv: readonly string[]): Promise<void> {
  const at = argv.indexOf('--backend');
  const choice = (at >= 0 ? argv[at + 1] : 'tensorflow') as BackendChoice;
  const began = performance.now();
  let info: Awaited<ReturnType<typeof initBackend>>;
  try {
    info = await initBackend(choice);
  } catch (error) {
    // No GPU backend here is not a failure of the checks: there is nothing for them to check.
    if (choice === 'tensorflow') return emit({ type: 'skip', reason: firstLine(error) });
    return emit({
      type: 'check',
      name: 'backend',
      ok: false,
      figures: `${choice} did not start`,
      detail: firstLine(error),
    });
  }
  // initBackend names the GPU it trains on ('/GPU:0'), or says tfjs-node-gpu found none.
  if (choice === 'tensorflow' && !info.devices.includes('/GPU:0')) {
    return emit({
      type: 'skip',
      reason:
        'tfjs-node-gpu loaded, but TensorFlow found no GPU (are the CUDA 11.2 and cuDNN 8.1 libraries on LD_LIBRARY_PATH?)',
    });
  }
  // A first op makes TensorFlow create its device (and log it) before the backend line goes out.
  tf.tidy(() => tf.add(tf.scalar(1), 1).dataSync());
  const startup = ((performance.now() - began) / 1000).toFixed(1);
  emit({
    type: 'check',
    name: 'backend',
    ok: true,
    figures: `${info.name} on ${info.devices.join(', ')}, started in ${startup} s`,
  });

  const reference = cpuReferenceTrace();
  reference.catch(() => undefined); // awaited (and reported) by the optimizer check
  emit(await checkPrimitives(info.name));
  emit(await checkOptimizer(reference));
  const tolerance = info.name === 'tensorflow' ? GPU_PARITY : EXACT_PARITY;
  for (const parityCase of PARITY_CASES) emit(await checkPopulation(parityCase, tolerance));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  emit({
    type: 'check',
    name: 'runner',
    ok: false,
    figures: 'stopped with an error',
    detail: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exitCode = 1;
});
