import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciFingerprint, ciWorkDir, clearWorkDir, prepareWorkDir, type CiFingerprint } from './work-dir.js';

const base: CiFingerprint = {
  evoptVersion: '0.1.0',
  plugins: [{ name: 'p', version: '1', entryHash: 'e' }],
  tasks: [{ id: 't', options: {} }],
  steps: 10,
  seeds: 5,
  seed: 0,
  salt: 'ci',
};

describe('the ci work dir', () => {
  it('has a fingerprint that changes with anything that changes scores', () => {
    const fp = ciFingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{12}$/);
    expect(ciFingerprint({ ...base })).toBe(fp);
    const changes: Partial<CiFingerprint>[] = [
      { evoptVersion: '0.2.0' },
      { steps: 11 },
      { seeds: 4 },
      { seed: 1 },
      { tasks: [{ id: 't', options: { dims: 2 } }] },
      { plugins: [{ name: 'p', version: '1', entryHash: 'f' }] },
    ];
    for (const change of changes) expect(ciFingerprint({ ...base, ...change }), JSON.stringify(change)).not.toBe(fp);
  });

  it('sits next to the config file unless --work-dir names one', () => {
    expect(ciWorkDir({ cwd: '/cwd', baseDir: '/project', fingerprint: 'abc' })).toEqual({
      dir: '/project/.evopt/ci/abc',
      journalPath: '/project/.evopt/ci/abc/trials.jsonl',
      owned: true,
    });
    expect(ciWorkDir({ given: 'work', cwd: '/cwd', baseDir: '/project', fingerprint: 'abc' })).toEqual({
      dir: '/cwd/work',
      journalPath: '/cwd/work/trials-abc.jsonl',
      owned: false,
    });
  });

  it('is removed when a run completes; a given directory keeps everything but the journal', () => {
    const root = mkdtempSync(join(tmpdir(), 'evopt-ci-work-'));
    const owned = ciWorkDir({ cwd: root, baseDir: root, fingerprint: 'abc' });
    prepareWorkDir(owned, false);
    writeFileSync(owned.journalPath, '');
    mkdirSync(join(root, '.evopt', 'runs'));
    clearWorkDir(owned);
    expect(existsSync(join(root, '.evopt', 'ci'))).toBe(false);
    expect(existsSync(join(root, '.evopt', 'runs'))).toBe(true);
    prepareWorkDir(owned, false);
    rmSync(join(root, '.evopt', 'runs'), { recursive: true });
    clearWorkDir(owned);
    expect(existsSync(join(root, '.evopt'))).toBe(false);

    const given = ciWorkDir({ given: 'mine', cwd: root, baseDir: root, fingerprint: 'abc' });
    prepareWorkDir(given, false);
    writeFileSync(given.journalPath, 'x\n');
    writeFileSync(join(given.dir, 'notes.txt'), 'keep');
    prepareWorkDir(given, false);
    expect(readFileSync(given.journalPath, 'utf8')).toBe('x\n');
    prepareWorkDir(given, true);
    expect(existsSync(given.journalPath)).toBe(false);
    writeFileSync(given.journalPath, 'x\n');
    clearWorkDir(given);
    expect(existsSync(given.journalPath)).toBe(false);
    expect(readFileSync(join(given.dir, 'notes.txt'), 'utf8')).toBe('keep');
  });
});
