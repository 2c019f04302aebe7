// Tests that need a program from outside Node (redis-server, PyTorch) skip where it is missing,
// visibly: vitest counts them as skipped and one line says what to install. CI sets the
// require variable, so there a missing tool fails the run instead of hiding behind a skip.
import { spawnSync } from 'node:child_process';

/** A program some tests need, whether it is there, and how to get it. */
export interface OptionalTool {
  /** What is missing, in the words the user installs it by: `redis-server`, `PyTorch (torch) for /usr/bin/python3`. */
  readonly name: string;
  /** `true` when the tool works here, else why not (one line), e.g. from {@link commandRuns}. */
  readonly found: true | string;
  /** How to get it, one line: `apt-get install -y redis-server, or set REDIS_SERVER=/path`. */
  readonly install: string;
  /** The environment variable that, set to `1`, turns a missing tool into a failure. */
  readonly requireEnv: string;
}

/** The one line that says a tool is missing, why, and how to install it. */
function missingToolMessage(tool: OptionalTool, why: string): string {
  return `${tool.name} is missing (${why}); install it: ${tool.install}`;
}

// One line per tool and test file, however many suites ask about it.
const warned = new Set<string>();

/**
 * Whether the tests that need `tool` should run: `true` when it is there. When it is missing,
 * warns once (one line naming it and how to install it) and returns `false`, so the caller's
 * `describe.skipIf(!probeTool(…))` shows the tests as skipped. With `requireEnv` set to `1`, a
 * missing tool throws that message instead, failing the test file rather than skipping it.
 */
export function probeTool(
  tool: OptionalTool,
  env: NodeJS.ProcessEnv = process.env,
  warn: (line: string) => void = console.warn,
): boolean {
  if (tool.found === true) return true;
  const message = missingToolMessage(tool, tool.found);
  if (env[tool.requireEnv] === '1') throw new Error(`${message} (${tool.requireEnv}=1 requires it)`);
  if (!warned.has(message)) {
    warned.add(message);
    warn(`tests skipped: ${message} (set ${tool.requireEnv}=1 to fail instead)`);
  }
  return false;
}

/**
 * `true` when `command args…` runs and exits with 0, else why not, in one line: the command cannot
 * be started (not found, not executable), or it exited otherwise, with the last line it printed to
 * stderr (for Python, the exception: `ModuleNotFoundError: No module named 'torch'`).
 */
export function commandRuns(command: string, args: readonly string[] = [], timeoutMs = 30_000): true | string {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: timeoutMs,
  });
  const shown = [command, ...args].join(' ');
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `cannot run ${command}: not found` : `cannot run ${shown}: ${result.error.message}`;
  }
  if (result.status === 0) return true;
  const last = result.stderr.trim().split('\n').at(-1)?.trim();
  const how = result.status === null ? `was killed by ${result.signal ?? 'a signal'}` : `exited with ${result.status}`;
  return `${shown} ${how}${last ? `: ${last}` : ''}`;
}
