import { describe, expect, it } from 'vitest';
import type { EvaluationSink } from '@evopt/core';
import { OutageReporter } from './outage.js';

function sink(): EvaluationSink & { statuses: string[] } {
  const statuses: string[] = [];
  return {
    statuses,
    started: () => undefined,
    progress: () => undefined,
    finished: () => undefined,
    workerStatus: (worker, status) => void statuses.push(`${worker} ${status}`),
  };
}

describe('outage reports', () => {
  it('tell the newest call, once each, and log both', () => {
    const logs: string[] = [];
    const [older, newer] = [sink(), sink()];
    const reporter = new OutageReporter(
      'redis://:***@h:6379',
      (m) => logs.push(m),
      () => newer,
    );
    reporter.lost();
    reporter.lost();
    reporter.back();
    reporter.back();
    expect(older.statuses).toEqual([]);
    expect(newer.statuses).toEqual(['redis stopped', 'redis ready']);
    expect(logs).toHaveLength(2);
    expect(logs[0]).toMatch(/^warning: queue: Redis unreachable at redis:\/\/:\*\*\*@h:6379/);
  });

  it('reach the next call when no call was running, and stay silent about an outage no call saw', () => {
    let current: EvaluationSink | undefined;
    const reporter = new OutageReporter(
      'redis://h',
      () => undefined,
      () => current,
    );
    reporter.lost();
    reporter.back();
    const quiet = sink();
    reporter.callStarted(quiet);
    expect(quiet.statuses).toEqual([]);

    reporter.lost();
    const first = sink();
    current = first;
    reporter.callStarted(first);
    current = undefined;
    reporter.back();
    const second = sink();
    reporter.callStarted(second);
    expect(first.statuses).toEqual(['redis stopped']);
    expect(second.statuses).toEqual(['redis ready']);
  });
});
