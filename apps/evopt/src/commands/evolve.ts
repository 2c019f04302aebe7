import { loadConfig, preflightTasks, RunStore, EvaluationCache, type EvoptConfigInput } from '@evopt/core';
import { createRunContainer } from '../composition/container.js';
import { TOKENS } from '../composition/tokens.js';
import { printerFor, type ProgressMode } from '../cli/printers.js';
import { runSession } from '../session.js';
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
  readonly log: (message: string) => void;
}

/** `evopt evolve`: a new run from the config (and flags), in a new run directory. */
export async function evolve(options: EvolveOptions): Promise<{ result: EvolutionResult; runDir: string }> {
  const loaded = await loadConfig({ cwd: options.cwd, ...(options.configFile ? { configFile: options.configFile } : {}), ...(options.preset ? { preset: options.preset } : {}), overrides: options.overrides });
  const container = await createRunContainer(loaded, options.log);
  // Resolve everything the config names before a run directory exists, so a bad config leaves nothing behind.
  container.get(TOKENS.EngineDependencies);
  await preflightTasks(loaded.config, container.get(TOKENS.Registries).registries, container.get(TOKENS.Plan));
  const store = RunStore.create({ runsDir: loaded.config.runsDir, ...(options.runId ? { runId: options.runId } : {}), config: savedRunConfig(loaded, container.get(TOKENS.Registries)) });
  try {
    const result = await runSession({
      container,
      store,
      checkpoint: null,
      cache: new EvaluationCache(),
      resumed: false,
      listeners: [printerFor(options.progress)],
      signal: options.signal,
    });
    return { result, runDir: store.dir };
  } finally {
    store.close();
  }
}
