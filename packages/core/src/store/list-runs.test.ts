import { mkdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvoptEvent } from '../events.js';
import { listRuns } from './list-runs.js';
import { RunStore } from './run-store.js';
import { generationFinished, runFailed, runFinished, runStarted, runStopped, warning } from './__fixtures__/events.js';
import { deadPid } from './__fixtures__/spawn.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();

function makeRun(runsDir: string, runId: string, events: readonly EvoptEvent[], startedAt: string): RunStore {
  const store = RunStore.create({ runsDir, runId, config: { preset: 'from-config', generations: 99 } });
  for (const event of events) store.journal.append({ ...event, time: startedAt });
  return store;
}

describe('listRuns', () => {
  it('derives each status from the journal and the lock, newest first', () => {
    const runsDir = temp.make();
    makeRun(
      runsDir,
      'finished',
      [runStarted('finished'), generationFinished(0, 0.4), generationFinished(1, 0.7), runFinished('finished', 0.7)],
      '2026-01-01T00:00:00.000Z',
    ).close();
    makeRun(runsDir, 'failed', [runStarted('failed'), runFailed('failed')], '2026-01-02T00:00:00.000Z').close();
    makeRun(
      runsDir,
      'stopped',
      [runStarted('stopped'), generationFinished(0, 0.2), runStopped('stopped', 0)],
      '2026-01-03T00:00:00.000Z',
    ).close();
    makeRun(
      runsDir,
      'crashed',
      [runStarted('crashed'), generationFinished(0, 0.3)],
      '2026-01-04T00:00:00.000Z',
    ).close();
    makeRun(
      runsDir,
      'resumed',
      [runStarted('resumed'), runStopped('resumed', 0), runStarted('resumed', { resumed: true })],
      '2026-01-05T00:00:00.000Z',
    ).close();
    const running = makeRun(
      runsDir,
      'running',
      [runStarted('running', { preset: null, generations: 5 })],
      '2026-01-06T00:00:00.000Z',
    );

    const runs = listRuns(runsDir);
    running.close();
    expect(runs.map((r) => [r.runId, r.status])).toEqual([
      ['running', 'running'],
      ['resumed', 'incomplete'],
      ['crashed', 'incomplete'],
      ['stopped', 'stopped'],
      ['failed', 'failed'],
      ['finished', 'finished'],
    ]);
    expect(runs[0]).toMatchObject({
      preset: null,
      generations: 5,
      generation: null,
      bestFitness: null,
      lockedBy: { pid: process.pid },
    });
    expect(runs[5]).toEqual({
      runId: 'finished',
      dir: join(runsDir, 'finished'),
      status: 'finished',
      generation: 1,
      generations: 10,
      bestFitness: 0.7,
      startedAt: '2026-01-01T00:00:00.000Z',
      preset: 'paper',
    });
    expect(listRuns(runsDir).find((r) => r.runId === 'running')?.status).toBe('incomplete');
  });

  it('does not let corrupt journal lines break the listing', () => {
    const runsDir = temp.make();
    const store = makeRun(runsDir, 'r1', [runStarted('r1'), generationFinished(0, 0.5)], '2026-01-01T00:00:00.000Z');
    store.close();
    appendFileSync(
      store.paths.journal,
      `{"type":"run-finished","best":\nnot json at all\n${JSON.stringify(warning('x'))}\n{"type":"generation-finished","generation":`,
    );
    expect(listRuns(runsDir)).toMatchObject([{ runId: 'r1', status: 'incomplete', generation: 0, bestFitness: 0.5 }]);
  });

  it('falls back to config.json when the journal has no run-started, and treats a dead owner as not running', () => {
    const runsDir = temp.make();
    const store = RunStore.create({
      runsDir,
      runId: 'early',
      config: { schema: 'evopt.run-config/1', config: { preset: 'quick', ga: { generations: 3 } } },
    });
    store.close();
    writeFileSync(store.paths.lock, JSON.stringify({ pid: deadPid(), hostname: hostname(), startedAt: 'x' }));
    const [run] = listRuns(runsDir);
    expect(run).toMatchObject({
      runId: 'early',
      status: 'incomplete',
      preset: 'quick',
      generations: 3,
      generation: null,
    });
    expect(Number.isNaN(Date.parse(run!.startedAt))).toBe(false);
  });

  it('skips directories that are not runs, and lists nothing for a missing runs directory', () => {
    const runsDir = temp.make();
    mkdirSync(join(runsDir, 'stray'));
    writeFileSync(join(runsDir, 'notes.txt'), 'hello');
    expect(listRuns(runsDir)).toEqual([]);
    expect(listRuns(join(runsDir, 'missing'))).toEqual([]);
  });
});
