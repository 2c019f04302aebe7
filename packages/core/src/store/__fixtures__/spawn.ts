import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs a TypeScript fixture of this folder in a fresh node process (through tsx), and waits for it. */
export function runFixture(name: string, args: readonly string[]): SpawnSyncReturns<string> {
  const file = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { encoding: 'utf8', timeout: 30_000 });
}

/** The pid of a process that has already exited: spawn `node -e ''` and wait for it. */
export function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn node');
  return child.pid;
}
