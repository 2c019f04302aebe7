import { relative } from 'node:path';
import { render } from 'ink';
import { renderFormula, type EvoptEvent, type JournalProblem } from '@evopt/core';
import type { ExportLookups } from '../export/index.js';
import type { SessionControls } from '../session.js';
import { App, type TuiActions } from './app.js';
import { captureWrites } from './capture.js';
import { exportToRun } from './export.js';
import type { FormulaOf } from './formula.js';
import type { LogKind, RankedGenome, TuiInput } from './state.js';
import { TuiStore } from './store.js';
import { shortHash } from './text.js';

export interface MountOptions {
  readonly runDir: string;
  /** 'live': this process runs the run (q stops it, p pauses it). 'watch': it follows a journal. */
  readonly mode: 'live' | 'watch';
  /** Live: the command's graceful stop, as Ctrl-C; a second call forces exit. */
  readonly stop?: () => void;
  readonly controls?: SessionControls;
  /**
   * The run's registries, for every genome's formula and for export; a function is called once,
   * in the background (watch loads the run's plugins), and the screen uses primitive ids until then.
   */
  readonly registries?: ExportLookups | (() => Promise<ExportLookups>);
  /** Events from before this process joined, e.g. the journal of the run being resumed. */
  readonly history?: readonly EvoptEvent[];
  /** Route process.stderr into the event log while mounted. Default true. */
  readonly captureStderr?: boolean;
  /** Default process.stdout and process.stdin. */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Ink's debug mode: every frame written whole, nothing erased (tests). */
  readonly debug?: boolean;
}

export interface TuiHandle {
  /** A bus listener: queues the event and returns at once. */
  readonly listener: (event: EvoptEvent) => void;
  /** What p may do, once the session has an evaluator. */
  setControls(controls: SessionControls): void;
  /** A message of evopt's own into the event log. */
  note(message: string, kind?: LogKind): void;
  /** A journal line that could not be read (watch). */
  problem(problem: JournalProblem): void;
  /** Nothing is driving the run any more (watch): the screen stops its clock. */
  notRunning(): void;
  /** Resolves when the user quits watching (q in mode 'watch'), or once unmounted. */
  readonly quit: Promise<void>;
  /** Draws what is queued, leaves the last frame on screen, and gives the terminal back. */
  unmount(): Promise<void>;
}

const stamp = () => new Date().toISOString();

/** Mounts the TUI on the terminal; events reach it through `listener`, batched every 50 ms. */
export function mountTui(options: MountOptions): TuiHandle {
  const store = new TuiStore();
  let pushed = 0;
  const push = (input: TuiInput) => {
    pushed += 1;
    store.push(input);
  };
  const note = (message: string, kind: LogKind = 'info') => push({ type: 'note', time: stamp(), kind, message });
  for (const event of options.history ?? []) push(event);
  store.flush();

  let controls = options.controls;
  let quits = 0;
  let resolveQuit = () => {};
  const quit = new Promise<void>((resolve) => (resolveQuit = resolve));
  let registries: ExportLookups | undefined;
  const registriesReady = loadRegistries(options.registries).then(
    (loaded) => {
      registries = loaded;
      return loaded;
    },
    (error: unknown) => {
      note(
        `the run's plugins did not load (${error instanceof Error ? error.message : String(error)}): formulas show primitive ids; export is unavailable`,
        'warning',
      );
      return undefined;
    },
  );

  const actions: TuiActions = {
    quit() {
      quits += 1;
      if (options.mode === 'watch') return resolveQuit();
      const before = pushed;
      options.stop?.();
      // The binary's stop says what it does on stderr, which lands in the log: say it only if it did not.
      if (quits === 1 && pushed === before)
        note('stopping after journaling what finished… (q again to force)', 'warning');
    },
    pause() {
      if (options.mode === 'watch')
        return note('p is not available here: pause from the process running it', 'warning');
      if (!controls) return note('pausing is not available until the run has started', 'warning');
      if (!controls.canPause)
        return note(
          `the ${store.getSnapshot().run?.evaluator ?? 'current'} evaluator cannot pause dispatching`,
          'warning',
        );
      controls.setPaused(!store.getSnapshot().paused);
    },
    exportGenome(genome) {
      void exportSelected(genome);
    },
  };

  async function exportSelected(genome: RankedGenome | null): Promise<void> {
    if (!genome) return note('nothing to export yet: genomes are ranked when a generation finishes', 'warning');
    const lookups = registries ?? (await registriesReady);
    if (!lookups) return note(`cannot export ${shortHash(genome.hash)}: the run's plugins did not load`, 'failure');
    try {
      const paths = await exportToRun(options.runDir, genome.hash, genome.genome, lookups);
      for (const path of paths) note(`exported ${shortHash(genome.hash)}: ${relative(process.cwd(), path) || path}`);
    } catch (error) {
      note(
        `cannot export ${shortHash(genome.hash)}: ${error instanceof Error ? error.message : String(error)}`,
        'failure',
      );
    }
  }

  const restoreStderr =
    options.captureStderr === false
      ? () => {}
      : captureWrites(process.stderr, (line) => note(line, /warning|error/i.test(line) ? 'warning' : 'info'));
  const app = (formulaOf?: FormulaOf) => (
    <App store={store} mode={options.mode} actions={actions} {...(formulaOf && { formulaOf })} />
  );
  const instance = render(app(), {
    stdout: options.stdout ?? process.stdout,
    stdin: options.stdin ?? process.stdin,
    exitOnCtrlC: false,
    patchConsole: false,
    debug: options.debug ?? false,
  });
  void registriesReady.then((loaded) => {
    if (loaded) instance.rerender(app((genome) => renderFormula(genome, loaded)));
  });
  store.start();

  let unmounted: Promise<void> | undefined;
  return {
    listener: push,
    setControls: (value) => (controls = value),
    note,
    problem: (problem) => push({ type: 'journal-problem', time: stamp(), problem }),
    notRunning: () => push({ type: 'not-running', time: stamp() }),
    quit,
    unmount() {
      unmounted ??= (async () => {
        store.stop();
        // Let React draw the last batch before Ink writes its final frame.
        await new Promise((resolve) => setImmediate(resolve));
        instance.unmount();
        await instance.waitUntilExit();
        restoreStderr();
        resolveQuit();
      })();
      return unmounted;
    },
  };
}

async function loadRegistries(registries: MountOptions['registries']): Promise<ExportLookups | undefined> {
  if (registries === undefined) return undefined;
  return typeof registries === 'function' ? registries() : registries;
}
