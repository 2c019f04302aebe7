import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEvoptError } from '../errors.js';
import { writeFileAtomic, writeJson, writeText } from './atomic.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();

describe('atomic writes', () => {
  it('replaces the whole file and leaves no temp file behind', () => {
    const dir = temp.make();
    const path = join(dir, 'best.json');
    writeFileSync(path, 'old content that is longer than the new one');
    writeJson(path, { fitness: 0.9, nested: [1, 'two'] });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ fitness: 0.9, nested: [1, 'two'] });
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
    expect(readdirSync(dir)).toEqual(['best.json']);
  });

  it('writes text and bytes as given', () => {
    const dir = temp.make();
    writeText(join(dir, 'summary.md'), '# Run\n\nbest: **0.9**\n');
    writeFileAtomic(join(dir, 'raw.bin'), new Uint8Array([0, 255, 10]));
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('# Run\n\nbest: **0.9**\n');
    expect([...readFileSync(join(dir, 'raw.bin'))]).toEqual([0, 255, 10]);
  });

  it('refuses values JSON cannot hold, leaving the old file and no temp file', () => {
    const dir = temp.make();
    const path = join(dir, 'config.json');
    writeJson(path, { ok: true });
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    for (const bad of [undefined, 10n, cyclic]) {
      let caught: unknown;
      try {
        writeJson(path, bad);
      } catch (error) {
        caught = error;
      }
      expect(isEvoptError(caught, 'INTERNAL')).toBe(true);
      expect((caught as Error).message).toContain(path);
    }
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ ok: true });
    expect(readdirSync(dir)).toEqual(['config.json']);
  });
});
