/**
 * What `auto` says about its choice. Every worker thread of every command chooses its backend, so
 * the app shows the summary line once per command and the skipped candidates' full reasons only
 * with --verbose (apps/evopt/src/cli/backend-notices.ts tells the two apart by these prefixes).
 */

/** Starts every line that gives one skipped candidate's full reason. */
export const SKIPPED_PREFIX = 'backend auto: skipped ';

/** Why a candidate was skipped, for BackendInfo.skipped: `tensorflow: <its error's first line>`. */
export function skippedReason(name: string, error: unknown): string {
  return `${name}: ${firstLine(error)}`;
}

export interface SkippedCandidate {
  readonly name: string;
  readonly error: unknown;
}

const NOT_INSTALLED = 'tfjs-node-gpu is not installed';

/**
 * One short line for the backend `auto` got after skipping `skipped`: "backend wasm: tfjs-node-gpu
 * is not installed, see docs/GPU.md". A missing package is the common case on a CPU machine.
 */
export function autoSummary(name: string, skipped: readonly SkippedCandidate[]): string {
  const reason = (s: SkippedCandidate) =>
    s.name === 'tensorflow' && notInstalled(s.error) ? NOT_INSTALLED : `${s.name} did not start`;
  const reasons = skipped.map(reason);
  return `backend ${name}: ${reasons.join(', ')}, see docs/GPU.md`;
}

function firstLine(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
}

/** True when the error (or its cause) is Node's "Cannot find package '@tensorflow/tfjs-node-gpu'". */
function notInstalled(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    if (missing && e.message.includes("'@tensorflow/tfjs-node-gpu'")) return true;
  }
  return false;
}
