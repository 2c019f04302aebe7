/** What run.lock holds. */
export interface LockOwner {
  readonly pid: number;
  readonly hostname: string;
  /** ISO timestamp of when the lock was taken. */
  readonly startedAt: string;
}

/** Reads a lock file's content; undefined when it is empty or not a lock. */
export function parseLockOwner(content: string): LockOwner | undefined {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, hostname, startedAt } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return undefined;
  if (typeof hostname !== 'string' || typeof startedAt !== 'string') return undefined;
  return { pid, hostname, startedAt };
}

/**
 * Whether a process with this pid exists on this host. EPERM means it exists but belongs to
 * another user, which still counts as alive.
 */
export function isPidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "process 1234 on host-a (since 2026-11-29T01:02:03.000Z)". */
export function describeOwner(owner: LockOwner): string {
  return `process ${owner.pid} on ${owner.hostname} (since ${owner.startedAt})`;
}
