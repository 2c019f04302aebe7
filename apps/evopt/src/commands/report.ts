import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ProgramContext } from '../cli/program.js';
import { loadReportData, renderReport } from '../report/index.js';
import { locateRun } from './resume.js';

export interface ReportOptions {
  readonly cwd: string;
  /** A run directory, or a run id under the config's runsDir. */
  readonly run: string;
  /** Where to write the page; default `<runDir>/report.html`. */
  readonly out?: string;
  readonly now?: Date;
}

/**
 * `evopt report`: one self-contained HTML page about a run (finished, stopped or still running),
 * written next to it or to `out`. Returns the path written.
 */
export async function report(options: ReportOptions): Promise<string> {
  const runDir = await locateRun(options.cwd, options.run);
  const html = renderReport(loadReportData(runDir, options.now));
  const path = options.out === undefined ? join(runDir, 'report.html') : resolve(options.cwd, options.out);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, html);
  return path;
}

/** `evopt report`: registered here; implemented in this file. */
export function registerReport(program: Command, context: ProgramContext): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report of a run: fitness, term mix, diversity, the best genome vs the baselines, evaluation statistics',
    )
    .argument('<run>', 'run directory, or run id in the runs directory')
    .option('--out <file>', 'where to write the HTML (default: <run directory>/report.html)')
    .action(async (run: string, flags: { out?: string }) => {
      context.print(await report({ cwd: context.cwd, run, ...(flags.out !== undefined && { out: flags.out }) }));
    });
}
