import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_SCHEMA, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();
const state = { generation: 3, rng: [1, -2, 3, 4], population: [{ hash: 'abc', fitness: 0.5 }], note: 'ü\n' };
const NOW = new Date('2026-11-29T01:02:03.456Z');

function setup(): { dir: string; path: string } {
  const dir = temp.make();
  return { dir, path: join(dir, 'checkpoint.json') };
}

describe('checkpoints', () => {
  it('round-trips the state with its save time', () => {
    const { path } = setup();
    writeCheckpoint(path, state, NOW);
    expect(readCheckpoint(path)).toEqual({ kind: 'ok', state, savedAt: NOW.toISOString() });
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.schema).toBe(CHECKPOINT_SCHEMA);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a missing checkpoint as missing', () => {
    expect(readCheckpoint(setup().path)).toEqual({ kind: 'missing' });
  });

  it('reports a truncated checkpoint as corrupt and keeps it under the reported name', () => {
    const { dir, path } = setup();
    writeCheckpoint(path, state, NOW);
    const truncated = readFileSync(path, 'utf8').slice(0, 40);
    writeFileSync(path, truncated);
    const read = readCheckpoint(path, NOW);
    expect(read).toMatchObject({ kind: 'corrupt', keptAs: `${path}.corrupt-2026-11-29T01-02-03-456Z` });
    if (read.kind !== 'corrupt') throw new Error('unreachable');
    expect(read.reason).toMatch(/truncated/);
    expect(readFileSync(read.keptAs, 'utf8')).toBe(truncated);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual(['checkpoint.json.corrupt-2026-11-29T01-02-03-456Z']);
    expect(readCheckpoint(path)).toEqual({ kind: 'missing' });
  });

  it('detects a state changed behind the checksum', () => {
    const { path } = setup();
    writeCheckpoint(path, state, NOW);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"generation":3', '"generation":4'));
    const read = readCheckpoint(path, NOW);
    expect(read.kind).toBe('corrupt');
    if (read.kind === 'corrupt') expect(read.reason).toMatch(/checksum mismatch/);
  });

  it('refuses a wrong schema, an empty file and missing fields, keeping each file apart', () => {
    const { dir, path } = setup();
    const bad = [
      [
        JSON.stringify({ schema: 'evopt.checkpoint/0', savedAt: 'x', sha256: 'y', state: 1 }),
        /expected schema "evopt.checkpoint\/1"/,
      ],
      ['', /empty/],
      [JSON.stringify({ schema: CHECKPOINT_SCHEMA }), /savedAt, sha256 and state/],
      ['[]', /JSON object/],
    ] as const;
    for (const [content, reason] of bad) {
      writeFileSync(path, content);
      const read = readCheckpoint(path, NOW);
      expect(read.kind).toBe('corrupt');
      if (read.kind === 'corrupt') expect(read.reason).toMatch(reason);
    }
    // Same timestamp each time: later ones get a counter instead of overwriting the first.
    expect(readdirSync(dir).sort()).toHaveLength(4);
  });

  it('writes a new checkpoint over an old one atomically', () => {
    const { dir, path } = setup();
    writeCheckpoint(path, { generation: 1 });
    writeCheckpoint(path, { generation: 2 });
    expect(readCheckpoint(path)).toMatchObject({ kind: 'ok', state: { generation: 2 } });
    expect(readdirSync(dir)).toEqual(['checkpoint.json']);
  });
});
