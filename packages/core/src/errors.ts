/**
 * Every error evopt raises on purpose is an {@link EvoptError}: a stable `code` that the CLI maps
 * to an exit status, a message that says what was expected and how to fix it, and structured
 * `details` for tools. A user mistake never needs a stack trace to be understood.
 */
export type EvoptErrorCode =
  | 'GENOME_INVALID'
  | 'CONFIG_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'PLUGIN_LOAD_FAILED'
  | 'PLUGIN_INVALID'
  | 'PLUGIN_API_MISMATCH'
  | 'PLUGIN_RUNTIME'
  | 'REGISTRY_DUPLICATE'
  | 'REGISTRY_UNKNOWN'
  | 'REGISTRY_FROZEN'
  | 'RUN_LOCKED'
  | 'RUN_EXISTS'
  | 'RUN_NOT_FOUND'
  | 'RUN_CORRUPT'
  | 'RUN_FINISHED'
  | 'EVALUATION_FAILED'
  | 'DATA_MISSING'
  | 'DATA_CORRUPT'
  | 'DOWNLOAD_FAILED'
  | 'CHECKSUM_MISMATCH'
  | 'WORKER_CRASHED'
  | 'ABORTED'
  | 'INTERNAL';

/** Exit statuses per error code; anything not listed exits 1. */
export const EXIT_CODES: Partial<Record<EvoptErrorCode, number>> = {
  CONFIG_INVALID: 2,
  CONFIG_NOT_FOUND: 2,
  GENOME_INVALID: 2,
  REGISTRY_UNKNOWN: 2,
  REGISTRY_DUPLICATE: 2,
  PLUGIN_LOAD_FAILED: 3,
  PLUGIN_INVALID: 3,
  PLUGIN_API_MISMATCH: 3,
  PLUGIN_RUNTIME: 3,
  RUN_LOCKED: 4,
  RUN_EXISTS: 4,
  RUN_NOT_FOUND: 4,
  RUN_CORRUPT: 4,
  RUN_FINISHED: 0,
  DATA_MISSING: 5,
  DATA_CORRUPT: 5,
  DOWNLOAD_FAILED: 5,
  CHECKSUM_MISMATCH: 5,
  ABORTED: 130,
};

export interface EvoptErrorOptions {
  /** What the user can do about it, one sentence. Appended to the message. */
  readonly fix?: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

export class EvoptError extends Error {
  override readonly name = 'EvoptError';
  readonly code: EvoptErrorCode;
  readonly fix: string | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: EvoptErrorCode, message: string, options: EvoptErrorOptions = {}) {
    super(options.fix ? `${message}\n  fix: ${options.fix}` : message, { cause: options.cause });
    this.code = code;
    this.fix = options.fix;
    this.details = options.details ?? {};
  }

  /** A plain object that survives structured clone and JSON (worker messages, the journal). */
  toJSON(): SerializedError {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

export interface SerializedError {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly stack?: string;
}

export function isEvoptError(error: unknown, code?: EvoptErrorCode): error is EvoptError {
  return error instanceof EvoptError && (code === undefined || error.code === code);
}

/** Turns anything thrown into a serializable shape, keeping the evopt code when there is one. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof EvoptError) return error.toJSON();
  if (error instanceof Error) {
    return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** Rebuilds an error that crossed a thread or process boundary. */
export function deserializeError(error: SerializedError): Error {
  if (error.code) {
    return new EvoptError(error.code as EvoptErrorCode, error.message, { details: error.details ?? {} });
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

/** Adds whose code failed ("plugin X, task Y") to an error, as Vite does for plugin hooks. */
export function wrapPluginError(error: unknown, plugin: string, contribution: string, during: string): EvoptError {
  if (error instanceof EvoptError && error.details['plugin'] !== undefined) return error;
  // A deliberate error with its own fix (a missing dataset, bad options) keeps its code and fix:
  // the user can act on it, so it is not reported as the plugin's bug.
  if (error instanceof EvoptError && error.fix !== undefined && error.code !== 'INTERNAL') {
    const own = error.message.endsWith(`\n  fix: ${error.fix}`)
      ? error.message.slice(0, -`\n  fix: ${error.fix}`.length)
      : error.message;
    return new EvoptError(error.code, `Plugin "${plugin}" failed in ${contribution} while ${during}: ${own}`, {
      fix: error.fix,
      details: { ...error.details, plugin, contribution, during },
      cause: error,
    });
  }
  const inner = error instanceof Error ? error.message : String(error);
  return new EvoptError('PLUGIN_RUNTIME', `Plugin "${plugin}" failed in ${contribution} while ${during}: ${inner}`, {
    fix: `This is a bug or a misconfiguration in "${plugin}"; check its options, or report it to the plugin's authors.`,
    details: { plugin, contribution, during },
    cause: error,
  });
}
