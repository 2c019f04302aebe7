import { relative } from 'node:path';
import { Option, type Command } from 'commander';
import { BACKEND_NAMES, isEvoptError, type BackendName } from '@evopt/core';
import { backendNotices, verboseOption } from '../cli/backend-notices.js';
import { integerOption } from '../cli/integer-option.js';
import type { ProgramContext } from '../cli/program.js';
import {
  DEFAULT_COMPARE_BASELINES,
  DEFAULT_COMPARE_SEEDS,
  parseBaselines,
  renderTable,
  runCompare,
} from '../compare/index.js';

const list = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

interface CompareFlags {
  baselines: string;
  tasks?: string[];
  seeds?: number;
  steps?: number;
  seed?: number;
  out?: string;
  config?: string;
  workers?: number;
  backend?: BackendName;
  tuneBaselines?: boolean;
  json?: boolean;
  verbose?: boolean;
}

/** `evopt compare <genome…>`: the paper's tables, on the test split, with intervals and p-values. */
export function registerCompare(program: Command, context: ProgramContext): void {
  program
    .command('compare')
    .description(
      'score genomes against baselines on fresh seeds and the test split: fitness and test accuracy per task and overall, with 95% intervals, change vs Adam and paired t-tests',
    )
    .argument('<genomes...>', 'genome JSON files, run directories or run ids (their best genome), or baseline ids')
    .option(
      '--baselines <ids>',
      'comma-separated baseline ids to compare against, or "none"',
      DEFAULT_COMPARE_BASELINES.join(','),
    )
    .option(
      '--tasks <ids>',
      "comma-separated task ids (default: the first run's search tasks, else the config's)",
      list,
    )
    .option('--seeds <n>', `seeds per task (default ${DEFAULT_COMPARE_SEEDS})`, integerOption('--seeds', 1))
    .option(
      '--steps <n>',
      "training steps per evaluation (default: the config's or run's evaluation.steps)",
      integerOption('--steps', 1),
    )
    .option('--seed <n>', 'seeds the compare seed stream (default 0)', integerOption('--seed', 0))
    .option(
      '--tune-baselines',
      "choose each baseline's learning rate from ×0.3, ×1, ×3 of its default on the validation split first",
    )
    .option('--out <dir>', 'output directory (default: .evopt/compare/<fingerprint of this command>)')
    .option('-c, --config <file>', "config file (default: the first run's config, else evopt.config.* here)")
    .option('--workers <n>', 'worker threads for the worker-pool evaluator', integerOption('--workers', 1))
    .addOption(new Option('--backend <name>', 'tensor backend').choices([...BACKEND_NAMES]))
    .option('--json', 'print the JSON report to stdout instead of the table')
    .addOption(verboseOption())
    .action(async (genomes: string[], flags: CompareFlags) => {
      try {
        const { report, files } = await runCompare({
          cwd: context.cwd,
          references: genomes,
          baselines: parseBaselines(flags.baselines),
          ...(flags.tasks && { tasks: flags.tasks }),
          ...(flags.seeds !== undefined && { seeds: flags.seeds }),
          ...(flags.steps !== undefined && { steps: flags.steps }),
          ...(flags.seed !== undefined && { seed: flags.seed }),
          ...(flags.out !== undefined && { out: flags.out }),
          ...(flags.config && { configFile: flags.config }),
          ...(flags.workers !== undefined && { workers: flags.workers }),
          ...(flags.backend && { backend: flags.backend }),
          tuneBaselines: flags.tuneBaselines ?? false,
          signal: context.signal,
          log: backendNotices(context.log, { verbose: flags.verbose ?? false }),
        });
        const show = (path: string) => relative(context.cwd, path) || path;
        const where = ['wrote:', ...[files.markdown, files.json, files.svg].map((f) => `  ${show(f)}`)].join('\n');
        if (flags.json) {
          context.print(JSON.stringify(report, null, 2));
          context.log(where);
        } else {
          context.print(`${renderTable(report)}\n\n${where}`);
        }
      } catch (error) {
        if (isEvoptError(error, 'ABORTED') || context.signal.aborted) {
          context.log('stopped; run the same command again to continue');
          context.setExitCode(130);
          return;
        }
        throw error;
      }
    });
}
