import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvoptError, isEvoptError } from '../errors.js';
import { LOCK_FILE, RunLock } from './lock.js';
import { deadPid, runFixture } from './__fixtures__/spawn.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();

function acquireError(dir: string): EvoptError {
  try {
    RunLock.acquire(dir).release();
  } catch (error) {
    if (error instanceof EvoptError) return error;
    throw error;
  }
  throw new Error('expected RunLock.acquire to throw');
}

function writeLock(dir: string, owner: { pid: number; hostname: string; startedAt: string }): void {
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify(owner));
}

describe('RunLock', () => {
  it('writes our pid, host and start time, and release removes it', () => {
    const dir = temp.make();
    const lock = RunLock.acquire(dir);
    expect(lock.stale).toBeUndefined();
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: lock.owner.startedAt,
    });
    lock.release();
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
  });

  it('refuses a lock held by a live process on this host, naming the pid and the fix', () => {
    const dir = temp.make();
    writeLock(dir, { pid: process.pid, hostname: hostname(), startedAt: '2026-11-29T01:02:03.000Z' });
    const error = acquireError(dir);
    expect(isEvoptError(error, 'RUN_LOCKED')).toBe(true);
    expect(error.message).toContain(`process ${process.pid} on ${hostname()} (since 2026-11-29T01:02:03.000Z)`);
    expect(error.fix).toMatch(/delete .*run\.lock/);
    expect(error.details).toMatchObject({ pid: process.pid });
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('refuses a second acquire in the same process while the first holds it', () => {
    const dir = temp.make();
    const lock = RunLock.acquire(dir);
    expect(acquireError(dir).code).toBe('RUN_LOCKED');
    lock.release();
    RunLock.acquire(dir).release();
  });

  it('takes over a lock whose owner is dead and reports it as stale', () => {
    const dir = temp.make();
    const pid = deadPid();
    writeLock(dir, { pid, hostname: hostname(), startedAt: '2026-11-29T01:02:03.000Z' });
    const lock = RunLock.acquire(dir);
    expect(lock.stale).toMatchObject({
      reason: 'owner-dead',
      pid,
      hostname: hostname(),
      startedAt: '2026-11-29T01:02:03.000Z',
    });
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
  });

  it('takes over an old garbage lock and reports what it held', () => {
    const dir = temp.make();
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, 'not a lock');
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const lock = RunLock.acquire(dir);
    expect(lock.stale).toEqual({
      reason: 'unreadable',
      pid: null,
      hostname: null,
      startedAt: null,
      content: 'not a lock',
    });
    lock.release();
  });

  it('waits briefly on a just-created empty lock, then takes it over', () => {
    const dir = temp.make();
    writeFileSync(join(dir, LOCK_FILE), '');
    const started = Date.now();
    const lock = RunLock.acquire(dir);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(lock.stale?.reason).toBe('unreadable');
    lock.release();
  });

  it('treats a lock from another host as held, saying liveness cannot be checked', () => {
    const dir = temp.make();
    writeLock(dir, { pid: 1, hostname: `not-${hostname()}`, startedAt: '2026-11-29T01:02:03.000Z' });
    const error = acquireError(dir);
    expect(error.code).toBe('RUN_LOCKED');
    expect(error.message).toContain(`on not-${hostname()}`);
    expect(error.message).toMatch(/another host/);
  });

  it('release leaves a lock that another process has taken since', () => {
    const dir = temp.make();
    const lock = RunLock.acquire(dir);
    const other = { pid: deadPid(), hostname: hostname(), startedAt: 'later' };
    writeLock(dir, other);
    lock.release();
    expect(JSON.parse(readFileSync(lock.path, 'utf8'))).toEqual(other);
  });

  it('is released when its process exits normally, and left for takeover when it is killed', () => {
    const dir = temp.make();
    const exited = runFixture('lock-child.ts', [dir, 'exit']);
    expect(exited.status, exited.stderr).toBe(0);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);

    const killed = runFixture('lock-child.ts', [dir, 'kill']);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
    const lock = RunLock.acquire(dir);
    expect(lock.stale).toMatchObject({ reason: 'owner-dead', pid: killed.pid });
    lock.release();
  }, 30_000);
});
