import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  buildRegistries,
  EvoptError,
  listRuns,
  loadConfig,
  readJournal,
  runPaths,
  summarizeRun,
  type EvoptEvent,
  type JournalProblem,
  type RunSummary,
} from '@evopt/core';
import type { ProgramContext } from '../cli/program.js';
import { jsonPrinter, plainPrinter, progressOption, type ProgressMode } from '../cli/printers.js';
import { APP_DIR } from '../composition/container.js';
import type { ExportLookups } from '../export/index.js';
import { followRun } from '../tui/follow.js';
import { locateRun } from './resume.js';
import { parseSavedRunConfig } from './run-config.js';

export interface WatchOptions {
  readonly cwd: string;
  /** A run directory, or a run id under the config's runsDir. */
  readonly run: string;
  readonly progress: ProgressMode;
  /** Follow a running run's journal as it grows (default); false: show what it holds now. */
  readonly follow: boolean;
  readonly signal: AbortSignal;
  readonly print: (line: string) => void;
  readonly log: (message: string) => void;
}

/** `evopt watch`: registered here; implemented in this file. */
export function registerWatch(program: Command, context: ProgramContext): void {
  program
    .command('watch')
    .description(
      'follow a run from its journal, even one running in another terminal: the live TUI, or plain or JSON lines',
    )
    .argument('<run>', 'run directory, or run id in the runs directory')
    .addOption(progressOption())
    .option('--no-follow', 'show what the journal holds now and stop, even if the run is still going')
    .action(async (run: string, flags: { progress: ProgressMode; follow: boolean }) => {
      context.setStopMessage(null);
      await watch({
        cwd: context.cwd,
        run,
        progress: flags.progress,
        follow: flags.follow,
        signal: context.signal,
        print: context.print,
        log: context.log,
      });
    });
}

/**
 * Shows a run from its journal. A running run is followed until its process lets go of it (or the
 * user quits); any other is shown as its journal left it: plain and JSON output replay it and
 * return, the TUI stays until q. Unreadable journal lines are skipped and counted.
 */
export async function watch(options: WatchOptions): Promise<void> {
  const dir = await locateRun(options.cwd, options.run);
  const paths = runPaths(dir);
  if (!existsSync(paths.config) && !existsSync(paths.journal)) throw await runNotFound(options.cwd, dir);
  const summary = summarizeRun(dir, basename(dir));
  const running = summary.status === 'running';
  const notice = running ? null : `run ${summary.runId} is not running (${summary.status}); showing its journal`;
  if (options.progress === 'tui') return watchOnScreen(dir, running && options.follow, notice, options.signal);

  if (notice) options.log(notice);
  const printer = printerFor(options.progress, options.print);
  let problems = 0;
  const onProblem = (problem: JournalProblem) => {
    problems += 1;
    options.log(`warning: ${paths.journal}:${problem.line} skipped (${problem.reason})`);
  };
  if (running && options.follow) {
    await followRun(dir, { onEvent: printer, onProblem, signal: options.signal });
  } else {
    const journal = readJournal(paths.journal);
    for (const event of journal.events) printer(event);
    journal.problems.forEach(onProblem);
  }
  if (problems > 0) options.log(`warning: ${corruptLines(problems)}`);
}

export const corruptLines = (n: number) => `${n} corrupt journal line${n === 1 ? '' : 's'} skipped`;

/** Plain lines timed by the events' own clock, so a replayed journal reads as it happened. */
function printerFor(mode: Exclude<ProgressMode, 'tui'>, print: (line: string) => void): (event: EvoptEvent) => void {
  if (mode === 'json') return jsonPrinter(print);
  let now = 0;
  // A replayed journal has no worker log to say the backend once, so each worker's line stays.
  const plain = plainPrinter(print, 5000, () => now, { verbose: true });
  return (event) => {
    now = Date.parse(event.time) || now;
    plain(event);
  };
}

/** The TUI over the journal: followed while the run's process holds it, then shown until q. */
async function watchOnScreen(dir: string, follow: boolean, notice: string | null, signal: AbortSignal): Promise<void> {
  const { mountTui } = await import('../tui/mount.js');
  const tui = mountTui({ runDir: dir, mode: 'watch', registries: () => runRegistries(dir) });
  if (notice) tui.note(notice, 'warning');
  const quit = new AbortController();
  const abort = () => quit.abort();
  signal.addEventListener('abort', abort, { once: true });
  void tui.quit.then(abort);
  try {
    if (follow) {
      await followRun(dir, {
        onEvent: tui.listener,
        onProblem: tui.problem,
        signal: quit.signal,
        onGone: tui.notRunning,
      });
    } else {
      const journal = readJournal(runPaths(dir).journal);
      journal.events.forEach(tui.listener);
      journal.problems.forEach(tui.problem);
      tui.notRunning();
    }
    if (!quit.signal.aborted)
      await new Promise((resolve) => quit.signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    signal.removeEventListener('abort', abort);
    await tui.unmount();
  }
}

/** The registries the run was started with (its saved plugins), for formulas and export. */
async function runRegistries(dir: string): Promise<ExportLookups> {
  const path = runPaths(dir).config;
  const saved = parseSavedRunConfig(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
  return (await buildRegistries(saved.config.plugins, saved.baseDir, [APP_DIR])).registries;
}

async function runNotFound(cwd: string, dir: string): Promise<EvoptError> {
  let known: readonly RunSummary[] = [];
  let runsDir = '';
  try {
    runsDir = (await loadConfig({ cwd })).config.runsDir;
    known = listRuns(runsDir);
  } catch {
    // A broken config only costs the list of runs here; the error below is about the run.
  }
  const list = known.slice(0, 10).map((r) => `${r.runId} (${r.status})`);
  return new EvoptError(
    'RUN_NOT_FOUND',
    `Expected a run directory at ${dir}, but it holds no config.json or events.jsonl.${list.length ? ` Runs in ${runsDir}: ${list.join(', ')}${known.length > list.length ? ', …' : ''}.` : ''}`,
    {
      fix: '`evopt runs` lists the runs there are; pass one of their ids, or a run directory.',
      details: { dir, runs: known.map((r) => r.runId) },
    },
  );
}
