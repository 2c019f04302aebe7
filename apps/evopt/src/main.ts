#!/usr/bin/env node
import { CommanderError } from 'commander';
import { createProgram } from './cli/program.js';
import { reportError } from './cli/exit.js';

/**
 * The `evopt` binary. Ctrl-C (or SIGTERM) stops a run gracefully: finished evaluations are already
 * journaled and the checkpoint stays, so `evopt resume` continues it. A second Ctrl-C forces exit.
 */
async function main(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  let exitCode = 0;
  // What Ctrl-C means depends on the command: a run journals and checkpoints; watch just stops watching.
  let stopMessage: string | null = 'stopping after journaling what finished… (Ctrl-C again to force)';
  const stop = () => {
    if (controller.signal.aborted) {
      process.stderr.write('forced exit\n');
      process.exit(130);
    }
    if (stopMessage) process.stderr.write(`${stopMessage}\n`);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const program = createProgram({
    cwd: process.cwd(),
    signal: controller.signal,
    stop,
    setStopMessage: (message) => (stopMessage = message),
    print: (text) => process.stdout.write(`${text}\n`),
    log: (message) => process.stderr.write(`${message}\n`),
    setExitCode: (code) => (exitCode = code),
  });
  try {
    await program.parseAsync(argv, { from: 'node' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    return reportError(error);
  }
}

/**
 * Exits once stdout and stderr have taken everything written to them: process.exit drops writes
 * still queued on a pipe, which cut `--progress json` and `ci --json -` short for a program that
 * reads evopt's output (the e2e tests saw a truncated `watch --progress json` in 6 runs of 15).
 * The process still exits even when a worker or timer would keep it alive.
 */
function exitWhenFlushed(code: number): void {
  let open = 2;
  const flushed = () => {
    if (--open === 0) process.exit(code);
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
}

main(process.argv).then(exitWhenFlushed);
