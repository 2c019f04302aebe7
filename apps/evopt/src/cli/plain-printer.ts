import type { EvoptEvent } from '@evopt/core';
import { REDIS_WORKER } from '@evopt/plugin-queue/redact';
import { GenerationPace } from './generation-pace.js';
import {
  generationFinishedLines,
  generationStartedLine,
  newBestLine,
  runFinishedLines,
  runStartedLine,
  workerInfoLine,
  workerStatusLine,
} from './plain-lines.js';

/** Where a printer writes: progress lines, and warnings (stderr in the CLI). */
export interface PrinterOutput {
  line(text: string): void;
  warning(text: string): void;
}

/** The terminal: progress on stdout, warnings on stderr. */
export const STDIO: PrinterOutput = {
  line: (text) => process.stdout.write(`${text}\n`),
  warning: (text) => process.stderr.write(`${text}\n`),
};

/** A single function receives every line, warnings included (`evopt watch`, tests). */
function outputOf(write: ((line: string) => void) | PrinterOutput): PrinterOutput {
  return typeof write === 'function' ? { line: write, warning: write } : write;
}

export interface PlainPrinterOptions {
  /**
   * Each worker's backend line (with its kernel patches). Without it the command's log says the
   * backend once (see backend-notices.ts), so a fleet of workers does not repeat it.
   */
  readonly verbose?: boolean;
}

/**
 * Plain progress lines for pipes, CI and terminals without the TUI: a line per generation start
 * and end, new bests, and at most one progress line every `intervalMs` while evaluating. Every
 * line goes to `write`; warnings go to its `warning` (stderr by default).
 */
export function plainPrinter(
  write: ((line: string) => void) | PrinterOutput = STDIO,
  intervalMs = 5000,
  now: () => number = Date.now,
  options: PlainPrinterOptions = {},
): (event: EvoptEvent) => void {
  const out = outputOf(write);
  const pace = new GenerationPace(intervalMs, now);
  let generations = 0;
  const lines = (texts: readonly string[]) => texts.forEach((text) => out.line(text));
  return (event) => {
    switch (event.type) {
      case 'run-started':
        generations = event.generations;
        return out.line(runStartedLine(event));
      case 'generation-started':
        pace.start(event.toEvaluate);
        return out.line(generationStartedLine(event, generations));
      case 'evaluation-finished': {
        const progress = pace.evaluationFinished();
        return progress === null ? undefined : out.line(progress);
      }
      case 'generation-finished':
        return lines(generationFinishedLines(event, generations, pace.elapsedSeconds()));
      case 'new-best':
        return out.line(newBestLine(event));
      case 'run-finished':
        return lines(runFinishedLines(event));
      case 'worker-info':
        return options.verbose ? out.line(workerInfoLine(event)) : undefined;
      case 'run-stopped':
        return out.line(`run stopped in generation ${event.generation + 1}: ${event.reason}`);
      case 'run-failed':
        return out.line(`run failed: ${event.error.message}`);
      case 'warning':
        return out.warning(`warning: ${event.message}`);
      case 'worker-status': {
        const line = workerStatusLine(event, REDIS_WORKER);
        return line === null ? undefined : out.line(line);
      }
      default:
        return undefined;
    }
  };
}
