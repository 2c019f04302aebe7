import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvoptError } from '../errors.js';
import { RunStore } from './run-store.js';
import { runStarted, warning } from './__fixtures__/events.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();
const config = { preset: 'paper', generations: 10, plugins: { '@evopt/plugin-basic': '0.1.0' }, evopt: '0.1.0' };

function thrown(run: () => unknown): EvoptError {
  try {
    run();
  } catch (error) {
    if (error instanceof EvoptError) return error;
    throw error;
  }
  throw new Error('expected an EvoptError');
}

describe('RunStore', () => {
  it('creates a run directory with its config, lock and journal', () => {
    const runsDir = join(temp.make(), 'runs');
    const store = RunStore.create({ runsDir, config });
    expect(store.runId).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-[0-9a-f]{4}$/);
    expect(store.dir).toBe(join(runsDir, store.runId));
    expect(store.readConfig()).toEqual(config);
    expect(JSON.parse(readFileSync(store.paths.lock, 'utf8')).pid).toBe(process.pid);
    store.journal.append(runStarted(store.runId));
    expect(store.readEvents()).toEqual({ events: [runStarted(store.runId)], problems: [] });
    store.close();
    store.close();
    expect(readdirSync(store.dir).sort()).toEqual(['config.json', 'events.jsonl']);
  });

  it('refuses to create over an existing run, suggesting resume', () => {
    const runsDir = temp.make();
    RunStore.create({ runsDir, runId: 'r1', config }).close();
    const error = thrown(() => RunStore.create({ runsDir, runId: 'r1', config }));
    expect(error.code).toBe('RUN_EXISTS');
    expect(error.message).toMatch(/already exists/);
    expect(error.fix).toContain('evopt resume r1');
    expect(thrown(() => RunStore.create({ runsDir, runId: '../r2', config })).code).toBe('CONFIG_INVALID');
  });

  it('removes a half-made run directory when the config cannot be written', () => {
    const runsDir = temp.make();
    expect(thrown(() => RunStore.create({ runsDir, runId: 'bad', config: { n: 1n } })).code).toBe('INTERNAL');
    expect(readdirSync(runsDir)).toEqual([]);
  });

  it('opens a run to resume it, appending after the events already there', () => {
    const runsDir = temp.make();
    const created = RunStore.create({ runsDir, runId: 'r1', config });
    created.journal.append(warning('before'));
    created.close();
    const opened = RunStore.open(join(runsDir, 'r1'));
    expect(opened.runId).toBe('r1');
    expect(opened.readConfig()).toEqual(config);
    opened.journal.append(warning('after'), { durable: true });
    expect(opened.readEvents().events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['before', 'after']);
    opened.close();
  });

  it('refuses to open a run another store holds', () => {
    const runsDir = temp.make();
    const first = RunStore.create({ runsDir, runId: 'r1', config });
    const error = thrown(() => RunStore.open(first.dir));
    expect(error.code).toBe('RUN_LOCKED');
    expect(error.message).toContain(`process ${process.pid}`);
    first.close();
    RunStore.open(first.dir).close();
  });

  it('fails with RUN_NOT_FOUND, pointing at `evopt runs`, for a missing directory or config', () => {
    const runsDir = temp.make();
    const missing = thrown(() => RunStore.open(join(runsDir, 'nope')));
    expect(missing.code).toBe('RUN_NOT_FOUND');
    expect(missing.fix).toContain('evopt runs');
    mkdirSync(join(runsDir, 'empty'));
    const noConfig = thrown(() => RunStore.open(join(runsDir, 'empty')));
    expect(noConfig.code).toBe('RUN_NOT_FOUND');
    expect(noConfig.message).toContain('config.json is missing');
    expect(existsSync(join(runsDir, 'empty', 'run.lock'))).toBe(false);
  });

  it('fails with RUN_CORRUPT for an unparsable config, and releases the lock', () => {
    const runsDir = temp.make();
    RunStore.create({ runsDir, runId: 'r1', config }).close();
    writeFileSync(join(runsDir, 'r1', 'config.json'), '{"preset": "pa');
    expect(thrown(() => RunStore.open(join(runsDir, 'r1'))).code).toBe('RUN_CORRUPT');
    expect(existsSync(join(runsDir, 'r1', 'run.lock'))).toBe(false);
  });

  it('saves and loads checkpoints, and writes best.json and summary.md', () => {
    const store = RunStore.create({ runsDir: temp.make(), config });
    expect(store.loadCheckpoint()).toEqual({ kind: 'missing' });
    store.saveCheckpoint({ generation: 2, rng: [1, 2, 3, 4] });
    expect(store.loadCheckpoint()).toMatchObject({ kind: 'ok', state: { generation: 2, rng: [1, 2, 3, 4] } });
    store.writeBest({ fitness: 0.93 });
    store.writeSummary('# Summary\n');
    expect(JSON.parse(readFileSync(store.paths.best, 'utf8'))).toEqual({ fitness: 0.93 });
    expect(readFileSync(store.paths.summary, 'utf8')).toBe('# Summary\n');
    store.close();
  });
});
