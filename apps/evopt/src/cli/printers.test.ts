import { describe, expect, it, vi } from 'vitest';
import type { EvoptEvent } from '@evopt/core';
import { plainPrinter } from './printers.js';
import { RUN_EVENTS } from './__fixtures__/run-events.js';

const time = '2025-01-01T00:00:00.000Z';

function print(events: readonly EvoptEvent[]): string[] {
  const lines: string[] = [];
  const printer = plainPrinter(
    (line) => lines.push(line),
    5000,
    () => 0,
  );
  for (const event of events) printer(event);
  return lines;
}

describe('the plain printer', () => {
  it('shows when a queue run loses Redis and when it is back', () => {
    const lost =
      'Redis unreachable at redis://:***@10.0.0.5:6379; waiting for it (finished evaluations are journaled)…';
    const back = 'Redis at redis://:***@10.0.0.5:6379 is back after 2.1s; the run continues';
    expect(
      print([
        { type: 'worker-status', time, worker: 'redis', status: 'stopped', detail: lost },
        { type: 'worker-status', time, worker: 'redis', status: 'ready', detail: back },
      ]),
    ).toEqual([`  queue: ${lost}`, `  queue: ${back}`]);
  });

  it("names a queue run's evaluator without a worker count, which it cannot know", () => {
    const [started] = RUN_EVENTS;
    const { workers: _workers, ...queue } = {
      ...(started as Extract<EvoptEvent, { type: 'run-started' }>),
      evaluator: 'queue',
    };
    expect(print([queue])).toEqual([
      'evopt run r1 · preset smoke · seed 7 · 4 genomes × 2 generations · quadratic, rosenbrock × 2 seed(s) × 10 steps · queue',
    ]);
  });

  it('stays quiet about routine worker states, and reports a crashed worker', () => {
    expect(
      print([
        { type: 'worker-status', time, worker: 'thread-1', status: 'ready' },
        { type: 'worker-status', time, worker: 'thread-1', status: 'stopped' },
        { type: 'worker-status', time, worker: 'queue', status: 'busy' },
        { type: 'worker-status', time, worker: 'thread-2', status: 'crashed', detail: 'out of memory' },
      ]),
    ).toEqual(['  worker thread-2 crashed: out of memory; replacing it']);
  });
});

describe('the plain printer over a whole run', () => {
  /** A clock that moves 3 s each time the printer reads it. */
  function printRun(verbose: boolean): string[] {
    const lines: string[] = [];
    let t = 0;
    const printer = plainPrinter(
      (line) => lines.push(line),
      5000,
      () => (t += 3000),
      { verbose },
    );
    RUN_EVENTS.forEach((event) => printer(event));
    return lines;
  }

  it('prints a run as before the split (less the per-worker backend lines, now --verbose), all through the writer', () => {
    expect(printRun(false)).toEqual([
      'evopt run r1 · preset smoke · seed 7 · 4 genomes × 2 generations · quadratic, rosenbrock × 2 seed(s) × 10 steps · worker-pool (2 workers)',
      'generation 1/2: 3 evaluations to run, 1 cached',
      '  2/3 evaluated · 0.33 evaluations/s · about 3s left in this generation',
      '  new best 0.9123: 1.00·m/(√v+ε) · lr 1e-3',
      'generation 1/2 done in 12.0s: best 0.9123 · mean 0.5000 · 3 evaluated, 1 cached, 0 diverged, 0 failed',
      '  best: 1.00·m/(√v+ε)  [a1b2c3d4e5f6]',
      'warning: plugin x changed since the run started',
      'run finished after 2 generations (8 evaluations, 1 cache hits)',
      '  best   0.9123  1.00·m/(√v+ε)',
      '         lr 1e-3 · β1 0.9 · β2 0.9996 · ε 1e-8 · wd 1e-4 · bias correction · constant',
      '  adam   0.8000  same budget and seeds (+14.0% vs adam)',
      "  fitness: the paper's score on the validation split, mean over tasks and seeds",
    ]);
  });

  it("lists each worker's backend and kernel patches only when verbose", () => {
    const lines = printRun(true);
    expect(lines.slice(1, 3)).toEqual([
      '  thread-1: backend wasm on cpu (kernel patches: wasm:Conv2D)',
      '  thread-2: backend wasm on cpu (kernel patches: wasm:Conv2D)',
    ]);
    expect(printRun(false).some((line) => line.includes('kernel patches'))).toBe(false);
  });

  it("writes nothing to process.stderr itself: a warning goes to the output's warning channel", () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    try {
      const lines: string[] = [];
      const warnings: string[] = [];
      const printer = plainPrinter({ line: (l) => lines.push(l), warning: (w) => warnings.push(w) }, 5000, () => 0);
      RUN_EVENTS.forEach((event) => printer(event));
      expect(warnings).toEqual(['warning: plugin x changed since the run started']);
      expect(lines).not.toContain('warning: plugin x changed since the run started');
      expect(stderr).not.toHaveBeenCalled();
    } finally {
      stderr.mockRestore();
    }
  });
});
