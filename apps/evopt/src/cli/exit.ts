import { EXIT_CODES, isEvoptError } from '@evopt/core';

/**
 * Prints an error the way a user should see it and returns the exit status. An EvoptError is a
 * message with its fix and no stack trace; anything else is a bug and keeps its stack.
 */
export function reportError(error: unknown, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  if (isEvoptError(error)) {
    write(`error: ${error.message}\n`);
    if (process.env['EVOPT_DEBUG'] && error.stack) write(`${error.stack}\n`);
    return EXIT_CODES[error.code] ?? 1;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  write(`internal error (a bug in evopt, please report it):\n${text}\n`);
  return 70;
}
