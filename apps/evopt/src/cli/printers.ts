import type { EvoptEvent } from '@evopt/core';
import { plainPrinter, STDIO, type PlainPrinterOptions } from './plain-printer.js';
import type { ProgressMode } from './progress-mode.js';

export { plainPrinter, STDIO, type PlainPrinterOptions, type PrinterOutput } from './plain-printer.js';
export { defaultProgressMode, progressOption, PROGRESS_MODES, type ProgressMode } from './progress-mode.js';

/** One JSON event per line on stdout: for CI logs and other programs. */
export function jsonPrinter(write: (line: string) => void = STDIO.line): (event: EvoptEvent) => void {
  return (event) => write(JSON.stringify(event));
}

/** The printer for a mode without a screen of its own. */
export function printerFor(
  mode: Exclude<ProgressMode, 'tui'>,
  options: PlainPrinterOptions = {},
): (event: EvoptEvent) => void {
  return mode === 'json' ? jsonPrinter() : plainPrinter(STDIO, 5000, Date.now, options);
}
