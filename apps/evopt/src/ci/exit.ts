import { isEvoptError, type EvoptErrorCode } from '@evopt/core';

/**
 * `evopt ci`'s exit statuses, which CI scripts branch on: a verdict (0, 1), or no verdict because
 * the config or command line is wrong (2) or something around the checks broke (3).
 */
export const CI_EXIT = {
  pass: 0,
  regression: 1,
  usage: 2,
  infrastructure: 3,
  /** Ctrl-C or SIGTERM; rerunning continues from the journal. */
  interrupted: 130,
} as const;

/** Codes that mean the user has something to fix in the config, a genome file or the flags. */
const USAGE_CODES: ReadonlySet<EvoptErrorCode> = new Set<EvoptErrorCode>([
  'CONFIG_INVALID',
  'CONFIG_NOT_FOUND',
  'GENOME_INVALID',
  'REGISTRY_UNKNOWN',
  'REGISTRY_DUPLICATE',
]);

/**
 * The exit status of a failed ci run, by category: config and usage errors give 2; everything
 * else (evaluations failed, a worker died, a dataset is missing or corrupt, a plugin broke, an
 * output cannot be written, a bug) gives 3, so a pipeline can tell "fix the config" from "retry
 * or fix the machine". Other commands keep their own mapping (EXIT_CODES in @evopt/core).
 */
export function ciExitCode(error: unknown): number {
  if (isEvoptError(error, 'ABORTED')) return CI_EXIT.interrupted;
  if (isEvoptError(error) && USAGE_CODES.has(error.code)) return CI_EXIT.usage;
  return CI_EXIT.infrastructure;
}

/**
 * A commander error's exit status for `evopt ci`: help and version stay 0; any usage error (an
 * unknown flag, a missing value, an extra argument) is 2 instead of commander's 1, which would
 * read as a regression.
 */
export function ciUsageExitCode(commanderExitCode: number): number {
  return commanderExitCode === 0 ? 0 : CI_EXIT.usage;
}
