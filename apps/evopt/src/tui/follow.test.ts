import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvoptEvent, JournalProblem } from '@evopt/core';
import { followRun, lockHeld } from './follow.js';

const line = (n: number) =>
  `${JSON.stringify({ type: 'warning', code: 'TEST', message: `event ${n}`, time: '2026-01-01T00:00:00.000Z' })}\n`;

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evopt-follow-'));
  writeFileSync(join(dir, 'config.json'), '{}');
  return dir;
}

const holdLock = (dir: string, pid = process.pid) =>
  writeFileSync(
    join(dir, 'run.lock'),
    JSON.stringify({ pid, hostname: hostname(), startedAt: new Date().toISOString() }),
  );

describe('followRun', () => {
  it('delivers the journal so far, then what the run appends, until it lets go of its lock', async () => {
    const dir = runDir();
    appendFileSync(join(dir, 'events.jsonl'), line(1) + line(2));
    holdLock(dir);
    const seen: string[] = [];
    const problems: JournalProblem[] = [];
    let gone = false;
    const following = followRun(dir, {
      onEvent: (e: EvoptEvent) => void seen.push(e.type === 'warning' ? e.message : e.type),
      onProblem: (p) => void problems.push(p),
      onGone: () => (gone = true),
      signal: new AbortController().signal,
      intervalMs: 10,
    });
    while (seen.length < 2) await new Promise((r) => setTimeout(r, 5));
    appendFileSync(join(dir, 'events.jsonl'), `${line(3)}{"type":"torn\n`);
    // The run's last record and its lock released in one go: the follower must still get it.
    appendFileSync(join(dir, 'events.jsonl'), line(4));
    rmSync(join(dir, 'run.lock'));
    await following;
    expect(seen).toEqual(['event 1', 'event 2', 'event 3', 'event 4']);
    expect(problems.map((p) => p.line)).toEqual([4]);
    expect(gone).toBe(true);
  });

  it('stops when asked, without calling onGone', async () => {
    const dir = runDir();
    holdLock(dir);
    const controller = new AbortController();
    let gone = false;
    const following = followRun(dir, {
      onEvent: () => {},
      onProblem: () => {},
      onGone: () => (gone = true),
      signal: controller.signal,
      intervalMs: 10,
    });
    controller.abort();
    await following;
    expect(gone).toBe(false);
  });

  it('lockHeld: only a live process on this host holds a lock', () => {
    const dir = runDir();
    expect(lockHeld(join(dir, 'run.lock'))).toBe(false);
    holdLock(dir);
    expect(lockHeld(join(dir, 'run.lock'))).toBe(true);
    holdLock(dir, 2 ** 22 + 12345);
    expect(lockHeld(join(dir, 'run.lock'))).toBe(false);
  });
});
