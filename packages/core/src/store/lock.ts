import { closeSync, linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { EvoptError } from '../errors.js';
import { writeAll } from './atomic.js';
import { describeOwner, isPidAlive, parseLockOwner, type LockOwner } from './lock-owner.js';

export { isPidAlive, type LockOwner } from './lock-owner.js';

/** The lock file's name inside a run directory. */
export const LOCK_FILE = 'run.lock';

/** A previous owner whose lock was taken over; the caller should warn about it. */
export interface StaleLock {
  /** 'owner-dead': same host, process gone. 'unreadable': the file was empty or garbage. */
  readonly reason: 'owner-dead' | 'unreadable';
  readonly pid: number | null;
  readonly hostname: string | null;
  readonly startedAt: string | null;
  /** The old file's content as found. */
  readonly content: string;
}

const held = new Set<RunLock>();
let exitHookInstalled = false;
// A creator writes its content right after creating the file; a garbage lock this young may be mid-write.
const YOUNG_LOCK_MS = 2000;
const SETTLE_WAIT_MS = 25;
const SETTLE_TRIES = 20;

/**
 * `run.lock`: at most one evopt process works on a run directory at a time. A lock left by a
 * process that died on this host is taken over (and reported as {@link StaleLock}); a lock held by
 * a live process, or by any process on another host, refuses with RUN_LOCKED.
 */
export class RunLock {
  private released = false;

  private constructor(
    /** Path of run.lock. */
    readonly path: string,
    /** What this lock wrote: our pid, host and start time. */
    readonly owner: LockOwner,
    /** Set when a stale lock was taken over. */
    readonly stale: StaleLock | undefined,
  ) {}

  /** Takes the lock of `runDir`, or throws RUN_LOCKED naming who holds it. */
  static acquire(runDir: string): RunLock {
    const path = join(runDir, LOCK_FILE);
    const owner: LockOwner = { pid: process.pid, hostname: osHostname(), startedAt: new Date().toISOString() };
    let stale: StaleLock | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      if (tryCreate(path, owner)) {
        const lock = new RunLock(path, owner, stale);
        holdUntilExit(lock);
        return lock;
      }
      const found = readSettled(path);
      if (found === undefined) continue; // Released between our create and our read: try again.
      const previous = parseLockOwner(found);
      if (previous === undefined) {
        stale = { reason: 'unreadable', pid: null, hostname: null, startedAt: null, content: found };
      } else if (previous.hostname !== owner.hostname) {
        throw locked(
          path,
          previous,
          'It is held by a process on another host, whose liveness cannot be checked from here.',
        );
      } else if (isPidAlive(previous.pid)) {
        throw locked(path, previous, 'That process is still running.');
      } else {
        stale = { reason: 'owner-dead', ...previous, content: found };
      }
      removeIfUnchanged(path, found);
    }
    throw new EvoptError('RUN_LOCKED', `Expected to take the lock ${path}, but other processes kept racing for it.`, {
      fix: 'Make sure only one evopt process works on this run, then try again.',
      details: { path },
    });
  }

  /** Removes run.lock if it still holds our pid. Calling it again does nothing. */
  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    const found = readExisting(this.path);
    const current = found === undefined ? undefined : parseLockOwner(found);
    if (current?.pid === this.owner.pid && current.hostname === this.owner.hostname) {
      try {
        unlinkSync(this.path);
      } catch {
        // Removed by someone else meanwhile: the outcome we wanted.
      }
    }
  }
}

function tryCreate(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeAll(fd, Buffer.from(`${JSON.stringify(owner)}\n`));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readExisting(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads the lock; if it is not a lock yet but was just created, waits a little (up to half a
 * second) for its creator to finish writing it, so a lock being created is not taken for garbage.
 */
function readSettled(path: string): string | undefined {
  let found = readExisting(path);
  for (
    let n = 0;
    n < SETTLE_TRIES && found !== undefined && parseLockOwner(found) === undefined && isYoung(path);
    n++
  ) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, SETTLE_WAIT_MS);
    found = readExisting(path);
  }
  return found;
}

function isYoung(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs < YOUNG_LOCK_MS;
  } catch {
    return false;
  }
}

/**
 * Moves the stale lock aside, then checks it is the one we judged stale: if another process
 * took it over in between, its fresh lock is put back and the next attempt reports it.
 */
function removeIfUnchanged(path: string, judged: string): void {
  const aside = `${path}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (readExisting(aside) !== judged) {
    try {
      // link, not rename: it fails rather than overwrite a lock a third process created meanwhile.
      linkSync(aside, path);
    } catch {
      // Someone holds the lock now; the next attempt reports them.
    }
  }
  unlinkSync(aside);
}

function locked(path: string, owner: LockOwner, why: string): EvoptError {
  return new EvoptError(
    'RUN_LOCKED',
    `Expected to be the only process on this run, but ${path} is held by ${describeOwner(owner)}. ${why}`,
    {
      fix: `Wait for it to finish, or stop process ${owner.pid} on ${owner.hostname}; if you are sure it is dead, delete ${path}.`,
      details: { path, ...owner },
    },
  );
}

function holdUntilExit(lock: RunLock): void {
  held.add(lock);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Best effort: 'exit' runs on normal exit and process.exit(), not on SIGKILL; then the next run finds a stale lock.
  process.on('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}
