import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPidAlive, readJournal, runPaths, tailJournal, type EvoptEvent, type JournalProblem } from '@evopt/core';

/**
 * Whether a live process holds the run's lock. A lock taken on another host cannot be checked
 * and counts as held, as `evopt runs` counts it.
 */
export function lockHeld(lockPath: string): boolean {
  let owner: { pid?: unknown; hostname?: unknown };
  try {
    owner = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid?: unknown; hostname?: unknown };
  } catch {
    return false;
  }
  if (typeof owner !== 'object' || owner === null || typeof owner.pid !== 'number') return false;
  return owner.hostname !== hostname() || isPidAlive(owner.pid);
}

export interface FollowOptions {
  readonly onEvent: (event: EvoptEvent) => void;
  readonly onProblem: (problem: JournalProblem) => void;
  /** Stops following early (the user quit). */
  readonly signal: AbortSignal;
  /** Called once when the process driving the run is gone, after its last records were delivered. */
  readonly onGone?: () => void;
  /** How often to look for new lines and at the lock. Default 100 ms. */
  readonly intervalMs?: number;
}

/**
 * Delivers a run's journal from its first line, then what is appended, until the process driving
 * the run lets go of its lock (or `signal` aborts). Whatever was written before the lock went is
 * delivered too: the journal is read once more after the tail stops, from where the tail was.
 */
export async function followRun(dir: string, options: FollowOptions): Promise<void> {
  const paths = runPaths(dir);
  const intervalMs = options.intervalMs ?? 100;
  const stop = new AbortController();
  const abort = () => stop.abort();
  options.signal.addEventListener('abort', abort, { once: true });
  let events = 0;
  let lastProblemLine = 0;
  const watcher = (async () => {
    while (!stop.signal.aborted && lockHeld(paths.lock))
      await sleep(intervalMs * 5, undefined, { signal: stop.signal }).catch(() => undefined);
    stop.abort();
  })();
  try {
    await tailJournal(
      paths.journal,
      (event) => {
        events += 1;
        options.onEvent(event);
      },
      {
        fromStart: true,
        signal: stop.signal,
        intervalMs,
        onProblem: (problem) => {
          lastProblemLine = problem.line;
          options.onProblem(problem);
        },
      },
    );
    await watcher;
  } finally {
    stop.abort();
    options.signal.removeEventListener('abort', abort);
  }
  if (options.signal.aborted) return;
  // The tail may have stopped between the run's last writes and its next look: catch up.
  const rest = readJournal(paths.journal);
  for (const event of rest.events.slice(events)) options.onEvent(event);
  for (const problem of rest.problems) if (problem.line > lastProblemLine) options.onProblem(problem);
  options.onGone?.();
}
