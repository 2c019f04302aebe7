import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  EvaluationCache,
  loadConfig,
  RunStore,
  preflightTasks,
  type EventInput,
  type EvolutionResult,
  type RunCheckpoint,
} from '@evopt/core';
import { backendNotices } from '../cli/backend-notices.js';
import { createRunContainer } from '../composition/container.js';
import { TOKENS } from '../composition/tokens.js';
import type { ProgressMode } from '../cli/printers.js';
import { runSession } from '../session.js';
import { relayLog, runProgress } from '../tui/live.js';
import { parseSavedRunConfig } from './run-config.js';

export interface ResumeOptions {
  readonly cwd: string;
  /** A run directory, or a run id under the config's runsDir. */
  readonly run: string;
  readonly progress: ProgressMode;
  readonly signal: AbortSignal;
  /** What the TUI's q calls: a graceful stop, as Ctrl-C (a second call forces exit). */
  readonly stop?: () => void;
  readonly log: (message: string) => void;
  /** Every worker's backend lines and details, not just the backend once. */
  readonly verbose?: boolean;
}

/** A run directory from a path, or from an id looked up in the configured runs directory. */
export async function locateRun(cwd: string, run: string): Promise<string> {
  const direct = resolve(cwd, run);
  if (existsSync(direct)) return direct;
  const { config } = await loadConfig({ cwd });
  return join(config.runsDir, run);
}

/**
 * `evopt resume`: continues a stopped or crashed run. The journal is replayed into the evaluation
 * cache, so no finished evaluation is redone, and the engine restarts from its checkpoint (or, if
 * that is missing or corrupt, from the run's seed: the same genomes, found again from the cache).
 */
export async function resume(options: ResumeOptions): Promise<{ result: EvolutionResult | null; runDir: string }> {
  const store = RunStore.open(await locateRun(options.cwd, options.run));
  try {
    const saved = parseSavedRunConfig(store.readConfig(), store.paths.config);
    // The evaluator keeps this log for the whole run: while the TUI owns the screen, it writes there.
    const log = relayLog(options.log);
    const verbose = options.verbose ?? false;
    const evaluatorLog = backendNotices(log.log, { verbose });
    const container = await createRunContainer(
      { config: saved.config, filepath: saved.configFile, baseDir: saved.baseDir },
      evaluatorLog,
    );
    const pending: EventInput[] = [];
    for (const plugin of container.get(TOKENS.Registries).plugins) {
      const before = saved.plugins.find((p) => p.name === plugin.plugin.name);
      if (before && (before.entryHash !== plugin.entryHash || before.version !== plugin.version)) {
        pending.push({
          type: 'warning',
          code: 'PLUGIN_CHANGED',
          message: `plugin ${plugin.plugin.name} changed since the run started (${before.version} → ${plugin.version}); results may mix code versions`,
        });
      }
    }
    const { events, problems } = store.readEvents();
    for (const problem of problems) {
      pending.push({
        type: 'warning',
        code: 'JOURNAL_CORRUPT_LINE',
        message: `${store.paths.journal}:${problem.line} was skipped (${problem.reason}); the file is kept and the run resumes from the last good record`,
      });
    }
    if (events.some((e) => e.type === 'run-finished')) {
      options.log(`run ${store.runId} already finished; see ${join(store.dir, 'summary.md')}`);
      return { result: null, runDir: store.dir };
    }
    // A dataset deleted since the run started stops the resume here, with the fetch command.
    await preflightTasks(saved.config, container.get(TOKENS.Registries).registries, container.get(TOKENS.Plan));
    const loadedCheckpoint = store.loadCheckpoint();
    let checkpoint: RunCheckpoint | null = null;
    if (loadedCheckpoint.kind === 'ok') checkpoint = loadedCheckpoint.state as RunCheckpoint;
    if (loadedCheckpoint.kind === 'corrupt') {
      pending.push({
        type: 'warning',
        code: 'CHECKPOINT_CORRUPT',
        message: `checkpoint.json was corrupt (${loadedCheckpoint.reason}); kept as ${loadedCheckpoint.keptAs}. Replaying the run from its seed; finished evaluations come from the journal.`,
      });
    }
    const { registries } = container.get(TOKENS.Registries);
    // The TUI starts from the journal so far: the chart and history of the generations before.
    const progress = await runProgress(options.progress, {
      runDir: store.dir,
      registries,
      ...(options.stop && { stop: options.stop }),
      log: options.log,
      history: events,
      verbose,
    });
    log.to(progress.log);
    try {
      const result = await runSession({
        container,
        store,
        checkpoint,
        cache: EvaluationCache.fromEvents(events),
        resumed: true,
        listeners: progress.listeners,
        ...(progress.onControls && { onControls: progress.onControls }),
        pending,
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
