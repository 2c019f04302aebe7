import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEvoptError } from '../errors.js';
import { assertRunId, newRunId, runPaths } from './paths.js';

describe('run ids', () => {
  it('are the UTC start time plus 4 hex characters, and sort by time', () => {
    const id = newRunId(new Date('2026-11-29T01:02:03.456Z'));
    expect(id).toMatch(/^2026-11-29T01-02-03-[0-9a-f]{4}$/);
    const later = newRunId(new Date('2026-11-29T01:02:04.000Z'));
    expect([later, id].sort()).toEqual([id, later]);
    expect(() => assertRunId(id)).not.toThrow();
  });

  it('must be a single safe directory name', () => {
    for (const bad of ['', '..', '../escape', 'a/b', 'a\\b', '.hidden', 'x'.repeat(129)]) {
      let caught: unknown;
      try {
        assertRunId(bad);
      } catch (error) {
        caught = error;
      }
      expect(isEvoptError(caught, 'CONFIG_INVALID'), bad).toBe(true);
    }
  });
});

describe('runPaths', () => {
  it('names the files of a run directory', () => {
    expect(runPaths('/runs/r1')).toEqual({
      dir: '/runs/r1',
      config: join('/runs/r1', 'config.json'),
      journal: join('/runs/r1', 'events.jsonl'),
      checkpoint: join('/runs/r1', 'checkpoint.json'),
      best: join('/runs/r1', 'best.json'),
      summary: join('/runs/r1', 'summary.md'),
      lock: join('/runs/r1', 'run.lock'),
    });
  });
});
