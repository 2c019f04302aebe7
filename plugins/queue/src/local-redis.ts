// A private redis-server for tests and benchmarks: 127.0.0.1, a free port, its own temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRedisOptions {
  /** Requires AUTH with this password. */
  readonly password?: string;
  /** Append-only file persistence (fsync always), so a restart keeps the queue. */
  readonly aof?: boolean;
  /** The server binary; default `$REDIS_SERVER`, else `redis-server` on the PATH. */
  readonly command?: string;
}

export interface LocalRedis {
  readonly port: number;
  /** redis://[:password@]127.0.0.1:port */
  readonly url: string;
  /** Stops the server, waits `downMs`, and starts it again on the same port and directory. */
  restart(downMs: number): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

/** How to get a redis-server: for the launcher's error, and for tests that skip without one. */
export const REDIS_INSTALL =
  'apt-get install -y redis-server (macOS: brew install redis), or set REDIS_SERVER=/path/to/redis-server';

/** redis-server as a tool the tests need, for @evopt/testing's probeTool (add `found`). */
export const REDIS_TOOL = { name: 'redis-server', install: REDIS_INSTALL, requireEnv: 'EVOPT_REQUIRE_REDIS' } as const;

/** The redis-server {@link startLocalRedis} runs by default: `$REDIS_SERVER`, else `redis-server` on the PATH. */
export function redisServerCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env['REDIS_SERVER'] || 'redis-server';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

function spawnServer(
  command: string,
  args: readonly string[],
  dir: string,
): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(command, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis-server did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      if (!output.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      resolve({ child, exited });
    });
    child.once('error', (error) =>
      reject(new Error(`cannot run redis-server as ${command} (${error.message}); install it: ${REDIS_INSTALL}`)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
}

/** Starts a redis-server no other process uses: bound to 127.0.0.1, no RDB snapshots. */
export async function startLocalRedis(options: LocalRedisOptions = {}): Promise<LocalRedis> {
  const command = options.command ?? redisServerCommand();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'evopt-redis-'));
  const persistence = options.aof ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    ...persistence,
    '--dir',
    dir,
    ...(options.password ? ['--requirepass', options.password] : []),
  ];
  let server = await spawnServer(command, args, dir);
  const halt = async () => {
    server.child.kill('SIGTERM');
    await server.exited;
  };
  return {
    port,
    url: `redis://${options.password ? `:${options.password}@` : ''}127.0.0.1:${port}`,
    restart: async (downMs) => {
      await halt();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = await spawnServer(command, args, dir);
    },
    stop: async () => {
      await halt();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
