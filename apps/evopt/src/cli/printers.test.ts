import { describe, expect, it } from 'vitest';
import type { EvoptEvent } from '@evopt/core';
import { plainPrinter } from './printers.js';

const time = '2025-01-01T00:00:00.000Z';

function print(events: readonly EvoptEvent[]): string[] {
  const lines: string[] = [];
  const printer = plainPrinter((line) => lines.push(line), 5000, () => 0);
  for (const event of events) printer(event);
  return lines;
}

describe('the plain printer', () => {
  it('shows when a queue run loses Redis and when it is back', () => {
    const lost = 'Redis unreachable at redis://:***@10.0.0.5:6379; waiting for it (finished evaluations are journaled)…';
    const back = 'Redis at redis://:***@10.0.0.5:6379 is back after 2.1s; the run continues';
    expect(print([
      { type: 'worker-status', time, worker: 'redis', status: 'stopped', detail: lost },
      { type: 'worker-status', time, worker: 'redis', status: 'ready', detail: back },
    ])).toEqual([`  queue: ${lost}`, `  queue: ${back}`]);
  });

  it('stays quiet about routine worker states, and reports a crashed worker', () => {
    expect(print([
      { type: 'worker-status', time, worker: 'thread-1', status: 'ready' },
      { type: 'worker-status', time, worker: 'thread-1', status: 'stopped' },
      { type: 'worker-status', time, worker: 'queue', status: 'busy' },
      { type: 'worker-status', time, worker: 'thread-2', status: 'crashed', detail: 'out of memory' },
    ])).toEqual(['  worker thread-2 crashed: out of memory; replacing it']);
  });
});
