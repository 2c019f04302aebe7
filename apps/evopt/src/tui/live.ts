import type { EventListener, EvoptEvent } from '@evopt/core';
import { printerFor, type ProgressMode } from '../cli/printers.js';
import type { ExportLookups } from '../export/index.js';
import type { SessionControls } from '../session.js';

/** How `evolve` and `resume` show a run: printer listeners, or the TUI. */
export interface RunProgress {
  readonly listeners: readonly EventListener[];
  /** Where the command's messages go while the run is on screen. */
  readonly log: (message: string) => void;
  readonly onControls?: (controls: SessionControls) => void;
  /** Gives the terminal back (the TUI leaves its last frame); the command prints its last lines after. */
  close(): Promise<void>;
}

export interface RunProgressOptions {
  readonly runDir: string;
  readonly registries: ExportLookups;
  /**
   * The command's graceful stop (as Ctrl-C); a second call forces exit. Default: raise SIGINT,
   * which the `evopt` binary handles exactly so.
   */
  readonly stop?: () => void;
  readonly log: (message: string) => void;
  /** Events journaled before this process took the run over (resume): the TUI starts from them. */
  readonly history?: readonly EvoptEvent[];
  /** Plain output: each worker's backend line too. */
  readonly verbose?: boolean;
}

/**
 * The progress output for a run in this process. Ink and React load only for the TUI, so plain
 * and JSON progress start as fast as before.
 */
export async function runProgress(mode: ProgressMode, options: RunProgressOptions): Promise<RunProgress> {
  if (mode !== 'tui') {
    return {
      listeners: [printerFor(mode, { verbose: options.verbose ?? false })],
      log: options.log,
      close: async () => {},
    };
  }
  const { mountTui } = await import('./mount.js');
  const stop = options.stop ?? (() => void process.kill(process.pid, 'SIGINT'));
  const tui = mountTui({
    runDir: options.runDir,
    mode: 'live',
    stop,
    registries: options.registries,
    ...(options.history && { history: options.history }),
  });
  return {
    listeners: [tui.listener],
    log: (message) => tui.note(message, /^(warning|error)\b/i.test(message) ? 'warning' : 'info'),
    onControls: (controls) => tui.setControls(controls),
    close: () => tui.unmount(),
  };
}

/** A log function whose destination can change while others hold it (the container keeps one). */
export function relayLog(initial: (message: string) => void): {
  log: (message: string) => void;
  to(target: (message: string) => void): void;
} {
  let target = initial;
  return { log: (message) => target(message), to: (next) => (target = next) };
}
