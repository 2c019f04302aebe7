import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { events, onlyRun, project, runCli } from './cli.js';

// TensorFlow takes (almost) all GPU memory at start unless told to grow: let the probe and the
// CLI's workers share the card with whatever else runs on it.
process.env['TF_FORCE_GPU_ALLOW_GROWTH'] ??= 'true';

/**
 * Whether @tensorflow/tfjs-node-gpu loads in a process like the CLI's (this Node, this
 * environment, resolved from @evopt/tfjs): on a GPU machine it does, and `auto` then trains on it.
 * Probed in a child so this test process holds no TensorFlow context of its own.
 */
const tensorflowLoads =
  spawnSync(process.execPath, ['-e', "require('@tensorflow/tfjs-node-gpu')"], {
    cwd: fileURLToPath(new URL('../../../../packages/tfjs', import.meta.url)),
    stdio: 'ignore',
  }).status === 0;
/** What `auto` lands on here: tensorflow where it loads, else wasm (with its kernel patches). */
const AUTO_BACKEND = tensorflowLoads ? 'tensorflow' : 'wasm';

/** The quick preset (what npm start runs), shrunk to seconds: real digits, real training. */
const TINY_QUICK = {
  preset: 'quick',
  ga: { populationSize: 4, generations: 2, elites: 1 },
  evaluation: { steps: 25, seeds: 1 },
};

describe('evopt evolve on mnist-lite (real training in worker threads)', () => {
  it(`trains on the backend auto finds (${AUTO_BACKEND} here), journals it once per worker, and compares the best genome with Adam`, async () => {
    const cwd = project(TINY_QUICK);
    const result = await runCli(['evolve', '--workers', '2', '--verbose'], cwd);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      tensorflowLoads
        ? /thread-1: backend tensorflow on (\/GPU:0|cpu \(tfjs-node-gpu found no usable GPU\))/
        : /thread-1: backend wasm on cpu \(kernel patches: wasm:Conv2DBackpropFilter/,
    );
    expect(result.stdout).toMatch(/\n {2}adam {3}\d\.\d{4} {2}same budget and seeds/);
    const journal = events(onlyRun(cwd));
    // The backend and the data are prepared once per worker, not once per evaluation or generation.
    const infos = journal.filter((e) => e.type === 'worker-info');
    expect(infos.map((e) => e.type === 'worker-info' && e.worker).sort()).toEqual(['thread-1', 'thread-2']);
    expect(infos.every((e) => e.type === 'worker-info' && e.backend === AUTO_BACKEND)).toBe(true);
    const records = journal.flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
    const adam = records.find((r) => r.status === 'ok' && r.metrics['valAccuracy'] !== undefined && r.seedIndex === 0);
    expect(adam?.metrics['valAccuracy']).toBeGreaterThan(0.3);
    expect(records.some((r) => r.status === 'failed')).toBe(false);
  });

  it("says the backend once per command, in one line; --verbose adds each worker's reasons", async () => {
    const tiny = {
      ...TINY_QUICK,
      ga: { populationSize: 2, generations: 1, elites: 1 },
      evaluation: { steps: 5, seeds: 1 },
    };
    const cwd = project(tiny);
    const quiet = await runCli(['evolve', '--workers', '2', '--run-id', 'quiet'], cwd);
    expect(quiet.code).toBe(0);
    const said = quiet.stderr.split('\n').filter((line) => line.includes('backend'));
    expect(said).toEqual([
      tensorflowLoads
        ? expect.stringMatching(/^backend tensorflow \(/)
        : 'backend wasm: tfjs-node-gpu is not installed, see docs/GPU.md',
    ]);
    expect(quiet.stdout).not.toMatch(/backend/);
    // watch replays the journal, where no worker log says the backend: each worker's line stays.
    const watched = await runCli(['watch', 'quiet', '--progress', 'plain'], cwd);
    expect(
      watched.stdout
        .match(/^ {2}thread-\d: backend \w+/gm)
        ?.map((line) => line.slice(2, 10))
        .sort(),
    ).toEqual(['thread-1', 'thread-2']);
    if (tensorflowLoads) return;
    const verbose = await runCli(['evolve', '--workers', '2', '--verbose'], project(tiny));
    const reasons = verbose.stderr
      .split('\n')
      .filter((line) => line.includes("Cannot find package '@tensorflow/tfjs-node-gpu'"));
    expect(reasons.map((line) => line.match(/^\[(thread-\d)\] /)?.[1]).sort()).toEqual(['thread-1', 'thread-2']);
    expect(reasons.every((line) => line.includes('backend auto: skipped tensorflow: '))).toBe(true);
    expect(verbose.stdout).toMatch(/thread-2: backend wasm on cpu \(kernel patches: /);
  });

  it('refuses an unknown backend name in the config, listing the valid ones', async () => {
    const result = await runCli(['evolve'], project({ preset: 'smoke', backend: 'gpu' }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/backend: expected one of "auto", "tensorflow", "wasm", "cpu", found string "gpu"/);
  });

  it('trains with --backend tensorflow where tfjs-node-gpu loads, and otherwise stops with the reason and the fix', async () => {
    const cwd = project({ ...TINY_QUICK, ga: { populationSize: 2, generations: 1, elites: 1 } });
    const result = await runCli(['evolve', '--backend', 'tensorflow', '--workers', '1'], cwd);
    if (tensorflowLoads) {
      expect(result.code).toBe(0);
      const journal = events(onlyRun(cwd));
      expect(journal.filter((e) => e.type === 'worker-info').map((e) => e.type === 'worker-info' && e.backend)).toEqual(
        ['tensorflow'],
      );
      const records = journal.flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
      expect(records.length).toBeGreaterThan(0);
      expect(records.every((r) => r.status !== 'failed')).toBe(true);
      return;
    }
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Every evaluation of generation 1 failed/);
    expect(result.stderr).toMatch(/tfjs-node-gpu/);
    expect(result.stderr).toMatch(/CUDA 11\.2/);
  });
});
