import { loadConfig, preflightTasks, RunStore, EvaluationCache, type EvoptConfigInput } from '@evopt/core';
import { createRunContainer } from '../composition/container.js';
import { TOKENS } from '../composition/tokens.js';
import { backendNotices } from '../cli/backend-notices.js';
import type { ProgressMode } from '../cli/printers.js';
import { runSession } from '../session.js';
import { relayLog, runProgress } from '../tui/live.js';
import { redactSecrets } from '@evopt/plugin-queue/redact';
import { savedRunConfig } from './run-config.js';
import type { EvolutionResult } from '@evopt/core';

export interface EvolveOptions {
  readonly cwd: string;
  readonly configFile?: string;
  readonly preset?: string;
  readonly overrides: EvoptConfigInput;
  readonly runId?: string;
  readonly progress: ProgressMode;
  readonly signal: AbortSignal;
  /** What the TUI's q calls: a graceful stop, as Ctrl-C (a second call forces exit). */
  readonly stop?: () => void;
  readonly log: (message: string) => void;
  /** Every worker's backend lines and details, not just the backend once. */
  readonly verbose?: boolean;
}

/** `evopt evolve`: a new run from the config (and flags), in a new run directory. */
export async function evolve(options: EvolveOptions): Promise<{ result: EvolutionResult; runDir: string }> {
  const loaded = await loadConfig({
    cwd: options.cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    ...(options.preset ? { preset: options.preset } : {}),
    overrides: options.overrides,
  });
  // The evaluator keeps this log for the whole run: while the TUI owns the screen, it writes there.
  const log = relayLog(options.log);
  const verbose = options.verbose ?? false;
  const container = await createRunContainer(loaded, backendNotices(log.log, { verbose }));
  // Resolve everything the config names before a run directory exists, so a bad config leaves nothing behind.
  container.get(TOKENS.EngineDependencies);
  const { registries } = container.get(TOKENS.Registries);
  await preflightTasks(loaded.config, registries, container.get(TOKENS.Plan));
  const store = RunStore.create({
    runsDir: loaded.config.runsDir,
    ...(options.runId ? { runId: options.runId } : {}),
    config: redacted(savedRunConfig(loaded, container.get(TOKENS.Registries))),
  });
  try {
    const progress = await runProgress(options.progress, {
      runDir: store.dir,
      registries,
      ...(options.stop && { stop: options.stop }),
      log: options.log,
      verbose,
    });
    log.to(progress.log);
    try {
      const result = await runSession({
        container,
        store,
        checkpoint: null,
        cache: new EvaluationCache(),
        resumed: false,
        listeners: progress.listeners,
        ...(progress.onControls && { onControls: progress.onControls }),
        signal: options.signal,
      });
      return { result, runDir: store.dir };
    } finally {
      await progress.close();
      log.to(options.log);
    }
  } finally {
    store.close();
  }
}

/** The saved config with every URL password (a queue's redis://user:password@…) replaced by ***: config.json is not a secret store. */
function redacted<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v))) as T;
}
