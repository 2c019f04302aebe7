import { SKIPPED_PREFIX } from '@evopt/tfjs';
import { Option } from 'commander';

/**
 * Every worker thread of `evolve`, `compare` and `ci` chooses its tensor backend and says so
 * (@evopt/tfjs, backend/notice.ts): on a CPU machine, N workers would each print why the GPU
 * backend was skipped. This log filter says the choice once per command, in the line tfjs wrote
 * for it ("backend wasm: tfjs-node-gpu is not installed, see docs/GPU.md"), and keeps each
 * worker's full reasons ("backend auto: skipped tensorflow: …") for --verbose. Other messages
 * pass through untouched.
 */

/** `--verbose`, for the commands whose workers choose a backend: evolve, resume, compare, ci. */
export function verboseOption(): Option {
  return new Option('--verbose', "every worker's backend line, with why each faster backend was skipped");
}

/** The `[worker] [task] ` prefixes the worker pool and the task host put before a message. */
const SOURCE = /^(?:\[[^\]]*\] )*/;
const BACKEND = 'backend ';

export interface BackendNoticeOptions {
  /** Every backend line of every worker, with its source, as tfjs wrote it. */
  readonly verbose?: boolean;
}

/** A log for one command: backend lines said once (or all of them, verbose), the rest as they come. */
export function backendNotices(
  log: (message: string) => void,
  options: BackendNoticeOptions = {},
): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    const text = message.replace(SOURCE, '');
    if (options.verbose || !text.startsWith(BACKEND)) return log(message);
    if (text.startsWith(SKIPPED_PREFIX) || said.has(text)) return;
    said.add(text);
    log(text);
  };
}
