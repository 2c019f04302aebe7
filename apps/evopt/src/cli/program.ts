import { Command, Option } from 'commander';
import type { EvoptConfigInput } from '@evopt/core';
import { dryRun, formatDryRun } from '../commands/dry-run.js';
import { evolve } from '../commands/evolve.js';
import { exportCommand } from '../commands/export.js';
import { EXPORT_TARGETS, type ExportTarget } from '../export/index.js';
import { resume } from '../commands/resume.js';
import { runs } from '../commands/runs.js';
import { registerCi } from '../commands/ci.js';
import { registerCompare } from '../commands/compare.js';
import { registerPlugins } from '../commands/plugins.js';
import { registerReport } from '../commands/report.js';
import { registerWatch } from '../commands/watch.js';
import { registerWorker } from '../commands/worker.js';
import { EVOPT_VERSION } from '../version.js';
import { backendNotices, verboseOption } from './backend-notices.js';
import { integerOption } from './integer-option.js';
import { progressOption, type ProgressMode } from './printers.js';

/** Flags that override config values, mapped onto the config's shape. */
interface OverrideFlags {
  seed?: number;
  generations?: number;
  population?: number;
  /** ga.mode: generational or steady-state. */
  mode?: 'generational' | 'steady-state';
  steps?: number;
  seeds?: number;
  workers?: number;
  evaluator?: string;
  /** A Redis URL: evaluate through the queue plugin's 'queue' evaluator (evopt worker processes). */
  queue?: string;
  runsDir?: string;
  backend?: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
}

type EvolveFlags = OverrideFlags & {
  config?: string;
  preset?: string;
  runId?: string;
  progress: ProgressMode;
  dryRun?: boolean;
  calibrate: boolean;
  verbose?: boolean;
};

export function overridesFrom(flags: OverrideFlags): EvoptConfigInput {
  const ga = {
    ...(flags.generations !== undefined && { generations: flags.generations }),
    ...(flags.population !== undefined && { populationSize: flags.population }),
    ...(flags.mode && { mode: flags.mode }),
  };
  const evaluator =
    flags.evaluator || flags.workers !== undefined
      ? {
          ...(flags.evaluator && { id: flags.evaluator }),
          ...(flags.workers !== undefined && { options: { workers: flags.workers } }),
        }
      : undefined;
  const evaluation = {
    ...(flags.steps !== undefined && { steps: flags.steps }),
    ...(flags.seeds !== undefined && { seeds: flags.seeds }),
    ...(evaluator && { evaluator }),
    ...(flags.queue && { queue: flags.queue }),
  };
  return {
    ...(flags.seed !== undefined && { seed: flags.seed }),
    ...(flags.runsDir && { runsDir: flags.runsDir }),
    ...(flags.backend && { backend: flags.backend }),
    ...(Object.keys(ga).length > 0 && { ga }),
    ...(Object.keys(evaluation).length > 0 && { evaluation }),
  };
}

export interface ProgramContext {
  readonly cwd: string;
  readonly signal: AbortSignal;
  /** Asks the running command to stop gracefully (as Ctrl-C does); a second call forces exit. */
  readonly stop: () => void;
  /** What the first Ctrl-C prints (null: nothing); a command sets it when stopping means something else than for a run. */
  readonly setStopMessage: (message: string | null) => void;
  readonly print: (text: string) => void;
  readonly log: (message: string) => void;
  /** Set by a run command: the process exit status. */
  setExitCode(code: number): void;
}

export function createProgram(context: ProgramContext): Command {
  const program = new Command('evopt')
    .description('Discover deep-learning optimizers by evolution.')
    .version(EVOPT_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('evolve')
    .description('start a new evolution run from evopt.config.* (and these flags)')
    .option('-c, --config <file>', 'config file (default: evopt.config.* or package.json "evopt" in this directory)')
    .option('-p, --preset <name>', 'start from a preset: smoke, quick or paper')
    .option('--seed <n>', 'master seed', integerOption('--seed', 0))
    .option('--generations <n>', 'number of generations', integerOption('--generations', 1))
    .option('--population <n>', 'population size', integerOption('--population', 2))
    .addOption(
      new Option(
        '--mode <mode>',
        "GA mode: generational (the paper's) or steady-state (no generation barrier; docs/DISTRIBUTED.md)",
      ).choices(['generational', 'steady-state']),
    )
    .option('--steps <n>', 'training steps per evaluation', integerOption('--steps', 1))
    .option('--seeds <n>', 'seeds per task', integerOption('--seeds', 1))
    .option('--workers <n>', 'worker threads for the worker-pool evaluator', integerOption('--workers', 1))
    .option('--evaluator <id>', 'evaluator: worker-pool or inline')
    .option(
      '--queue <url>',
      'evaluate on `evopt worker` processes through Redis (redis:// or rediss://); see docs/DISTRIBUTED.md',
    )
    .addOption(
      new Option('--backend <name>', 'tensor backend: auto tries tensorflow (GPU), then wasm, then cpu').choices([
        'auto',
        'tensorflow',
        'wasm',
        'cpu',
      ]),
    )
    .option('--runs-dir <dir>', 'where run directories are created')
    .option('--run-id <id>', 'name the run directory')
    .option('--dry-run', 'print the plan (evaluations, steps, estimated time from a short calibration) and exit')
    .option('--no-calibrate', 'with --dry-run: counts only, no calibration')
    .addOption(progressOption())
    .addOption(verboseOption())
    .action(async (flags: EvolveFlags) => {
      const verbose = flags.verbose ?? false;
      if (flags.dryRun) {
        const plan = await dryRun({
          cwd: context.cwd,
          ...(flags.config && { configFile: flags.config }),
          ...(flags.preset && { preset: flags.preset }),
          overrides: overridesFrom(flags),
          log: backendNotices(context.log, { verbose }),
          calibrate: flags.calibrate,
        });
        context.print(flags.progress === 'json' ? JSON.stringify(plan) : formatDryRun(plan));
        return;
      }
      const { result, runDir } = await evolve({
        cwd: context.cwd,
        ...(flags.config && { configFile: flags.config }),
        ...(flags.preset && { preset: flags.preset }),
        ...(flags.runId && { runId: flags.runId }),
        overrides: overridesFrom(flags),
        progress: flags.progress,
        signal: context.signal,
        stop: context.stop,
        log: context.log,
        verbose,
      });
      context.log(
        result.status === 'finished' ? `run directory: ${runDir}` : `stopped; continue with: evopt resume ${runDir}`,
      );
      context.setExitCode(result.status === 'finished' ? 0 : 130);
    });

  program
    .command('resume')
    .description('continue a stopped or crashed run where it left off')
    .argument('<run>', 'run directory, or run id in the runs directory')
    .addOption(progressOption())
    .addOption(verboseOption())
    .action(async (run: string, flags: { progress: ProgressMode; verbose?: boolean }) => {
      const { signal, stop, log } = context;
      const verbose = flags.verbose ?? false;
      const { result, runDir } = await resume({
        cwd: context.cwd,
        run,
        progress: flags.progress,
        signal,
        stop,
        log,
        verbose,
      });
      if (result?.status === 'stopped') context.log(`stopped; continue with: evopt resume ${runDir}`);
      context.setExitCode(result?.status === 'stopped' ? 130 : 0);
    });

  program
    .command('runs')
    .description('list runs, newest first')
    .option('-c, --config <file>', 'config file')
    .option('--json', 'print JSON')
    .action(async (flags: { config?: string; json?: boolean }) => {
      context.print(
        await runs({ cwd: context.cwd, ...(flags.config && { configFile: flags.config }), json: flags.json ?? false }),
      );
    });

  program
    .command('export')
    .description(
      'write a genome as code for your own training: a TensorFlow.js module, a PyTorch optimizer, or canonical JSON',
    )
    .argument(
      '<genome>',
      'genome JSON file (or best.json), baseline id (adam, sgd-momentum, adamw, rmsprop, paper-evolved), or run directory',
    )
    .addOption(new Option('--to <target>', 'what to write').choices([...EXPORT_TARGETS]).makeOptionMandatory())
    .option('--out <file>', 'write to this file instead of stdout')
    .option(
      '-c, --config <file>',
      'config file whose plugins supply primitives and schedules (default: evopt.config.* in this directory, if any)',
    )
    .action(async (genome: string, flags: { to: ExportTarget; out?: string; config?: string }) => {
      const text = await exportCommand({
        cwd: context.cwd,
        genome,
        to: flags.to,
        ...(flags.out !== undefined && { out: flags.out }),
        ...(flags.config && { configFile: flags.config }),
      });
      if (flags.out === undefined) context.print(text.trimEnd());
      else context.log(`wrote ${flags.out}`);
    });

  registerWatch(program, context);
  registerCompare(program, context);
  registerReport(program, context);
  registerCi(program, context);
  registerPlugins(program, context);
  registerWorker(program, context);

  // The data commands load the vision plugin (and TensorFlow.js with it): only when they run.
  const data = program
    .command('data')
    .description('fetch and list the datasets the vision tasks train on (MNIST, Fashion-MNIST, CIFAR-10)');
  const dataDirHelp =
    'where datasets live (default: dataDir from the config, else $EVOPT_DATA_DIR, else the user cache dir)';

  data
    .command('fetch')
    .description(
      'download a dataset into the data dir, verify its SHA-256 sums, and (CIFAR-10) extract it; an interrupted download resumes',
    )
    .argument('<dataset>', 'mnist, fashion-mnist, cifar10 or all')
    .option(
      '--from <url|dir>',
      'a base URL to download from instead of the official mirrors, or a directory holding the files',
    )
    .option('--data-dir <dir>', dataDirHelp)
    .option('-c, --config <file>', 'config file (default: evopt.config.* in this directory, if any)')
    .action(async (dataset: string, flags: { from?: string; dataDir?: string; config?: string }) => {
      const { dataFetch } = await import('../commands/data.js');
      await dataFetch({
        cwd: context.cwd,
        target: dataset,
        ...(flags.from !== undefined && { from: flags.from }),
        ...(flags.dataDir !== undefined && { dataDir: flags.dataDir }),
        ...(flags.config && { configFile: flags.config }),
        signal: context.signal,
        log: context.log,
      });
    });

  data
    .command('list')
    .description('list the datasets in the data dir: each file, its size, and whether it matches its SHA-256 pin')
    .option('--data-dir <dir>', dataDirHelp)
    .option('-c, --config <file>', 'config file (default: evopt.config.* in this directory, if any)')
    .option('--no-verify', 'compare sizes only instead of hashing every file')
    .action(async (flags: { dataDir?: string; config?: string; verify: boolean }) => {
      const { dataList } = await import('../commands/data.js');
      context.print(
        await dataList({
          cwd: context.cwd,
          ...(flags.dataDir !== undefined && { dataDir: flags.dataDir }),
          ...(flags.config && { configFile: flags.config }),
          verify: flags.verify,
        }),
      );
    });

  return program;
}
