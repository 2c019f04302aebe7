import { describe, expect, it } from 'vitest';
import { backendNotices } from './backend-notices.js';

// What two worker threads of a run log on a machine without tfjs-node-gpu (worker pool and task prefixes).
const MISSING =
  "backend 'tensorflow' needs @tensorflow/tfjs-node-gpu, which did not load: Cannot find package '@tensorflow/tfjs-node-gpu' imported from /app/candidates.js";
const THREADS = ['thread-1', 'thread-2'].flatMap((worker) => [
  `[${worker}] [mnist-lite] backend auto: skipped tensorflow: ${MISSING}`,
  `[${worker}] [mnist-lite] backend wasm: tfjs-node-gpu is not installed, see docs/GPU.md`,
]);

function run(messages: readonly string[], verbose?: boolean): string[] {
  const said: string[] = [];
  const log = backendNotices((m) => said.push(m), verbose === undefined ? {} : { verbose });
  messages.forEach((m) => log(m));
  return said;
}

describe('backend notices', () => {
  it('say the backend once per command, in one short line, without the reasons', () => {
    expect(run(THREADS)).toEqual(['backend wasm: tfjs-node-gpu is not installed, see docs/GPU.md']);
  });

  it('say each different choice once: a worker that landed elsewhere is not hidden', () => {
    expect(
      run([
        ...THREADS,
        '[thread-3] [mnist-lite] backend cpu: tfjs-node-gpu is not installed, wasm did not start, see docs/GPU.md',
      ]),
    ).toEqual([
      'backend wasm: tfjs-node-gpu is not installed, see docs/GPU.md',
      'backend cpu: tfjs-node-gpu is not installed, wasm did not start, see docs/GPU.md',
    ]);
  });

  it('with verbose, keep every line of every worker, with its source', () => {
    expect(run(THREADS, true)).toEqual(THREADS);
  });

  it('pass other messages through as they are, repeated or not', () => {
    const other = ['[thread-1] [mnist-lite] prepared', '[thread-2] [mnist-lite] prepared', 'run directory: /x'];
    expect(run(other)).toEqual(other);
  });
});
