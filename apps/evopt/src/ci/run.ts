import { contributionOptions, EvoptError, loadConfig, type EvaluationRecord } from '@evopt/core';
import { createRunContainer } from '../composition/container.js';
import { TOKENS } from '../composition/tokens.js';
import { createTrialEvaluator, runTrials, type TrialPlan, type TrialResults } from '../trials/index.js';
import { EVOPT_VERSION } from '../version.js';
import { evaluateChecks } from './checks.js';
import { CI_EXIT } from './exit.js';
import { prepareOutputs, writeOutputs, type CiOutputOptions } from './outputs.js';
import { assertRecordMatches, buildRecord, readRecord, writeRecord } from './record.js';
import type { CiPlan, CiReport } from './report.js';
import { CI_SALT, ciSettings, displayPath } from './settings.js';
import { resolveCiSubjects } from './subjects.js';
import { ciFingerprint, ciWorkDir, clearWorkDir, prepareWorkDir } from './work-dir.js';

export interface CiOptions extends CiOutputOptions {
  readonly cwd: string;
  readonly configFile?: string;
  /** Journal here instead of .evopt/ci/<fingerprint>/ next to the config file. */
  readonly workDir?: string;
  /** Ignore (delete) the journal of an interrupted ci run. */
  readonly fresh: boolean;
  /** Rewrite the record file from this run's fitnesses. */
  readonly updateBaseline: boolean;
  readonly signal: AbortSignal;
  readonly print: (text: string) => void;
  readonly log: (message: string) => void;
  readonly now?: () => Date;
}

export interface CiOutcome {
  readonly report: CiReport;
  readonly exitCode: number;
}

function failedError(
  failed: readonly EvaluationRecord[],
  total: number,
  labelOf: (hash: string) => string,
  journalPath: string,
): EvoptError {
  const [first] = failed;
  const where = (r: EvaluationRecord) => `${labelOf(r.hash)} on ${r.task}, seed ${r.seedIndex}`;
  const reason = first?.error?.message.split('\n')[0] ?? 'no error message';
  return new EvoptError(
    'EVALUATION_FAILED',
    `${failed.length} of ${total} ci evaluations failed; the first: ${first ? where(first) : '?'}: ${reason}`,
    {
      fix: `Fix the cause (the task, a plugin, the data or the machine), then rerun \`evopt ci\`: finished evaluations are kept in ${journalPath} and failed ones run again.`,
      details: {
        failures: failed.map((r) => ({
          genome: labelOf(r.hash),
          task: r.task,
          seedIndex: r.seedIndex,
          error: r.error ?? null,
        })),
      },
    },
  );
}

/**
 * `evopt ci`: evaluates the guarded genomes and the baseline on ci's own seeds, journaling each
 * evaluation so an interrupted run continues, checks them (see evaluateChecks), writes the
 * requested outputs, and returns the verdict's exit status (0 pass, 1 regression). Config and
 * usage errors throw before anything is evaluated.
 */
export async function runCi(options: CiOptions): Promise<CiOutcome> {
  const { cwd, log } = options;
  const loaded = await loadConfig({ cwd, ...(options.configFile !== undefined && { configFile: options.configFile }) });
  const settings = ciSettings(loaded, cwd);
  const probe = await createRunContainer(loaded, log);
  const { registries, plugins } = probe.get(TOKENS.Registries);
  const tasks = settings.tasks.map((task) => {
    const { item, plugin } = registries.tasks.lookup(task.id);
    contributionOptions(item.meta, task.options, `${task.key}.options`, plugin, task.id);
    return { id: task.id, options: task.options };
  });
  const subjects = await resolveCiSubjects(settings, {
    baseDir: settings.baseDir,
    runsDir: loaded.config.runsDir,
    registries,
  });

  const recordPath = displayPath(settings.recordPath, cwd);
  const plan: CiPlan = {
    guarded: subjects.guarded,
    baseline: subjects.baseline,
    tasks: tasks.map((t) => t.id),
    taskOptions: Object.fromEntries(tasks.map((t) => [t.id, t.options])),
    steps: settings.steps,
    seeds: settings.seeds,
    seed: settings.seed,
    tolerance: settings.tolerance,
    alpha: settings.alpha,
    record: { path: recordPath, updated: false },
  };
  // A stale or broken record is a config error: say so before spending time on evaluations.
  const record = options.updateBaseline ? null : readRecord(settings.recordPath);
  if (record) assertRecordMatches(record, plan);
  prepareOutputs(options, cwd);

  const fingerprint = ciFingerprint({
    evoptVersion: EVOPT_VERSION,
    plugins: plugins.map((p) => ({ name: p.plugin.name, version: p.version, entryHash: p.entryHash })),
    tasks,
    steps: plan.steps,
    seeds: plan.seeds,
    seed: plan.seed,
    salt: CI_SALT,
  });
  const work = ciWorkDir({
    ...(options.workDir !== undefined && { given: options.workDir }),
    cwd,
    baseDir: settings.baseDir,
    fingerprint,
  });
  prepareWorkDir(work, options.fresh);

  const trialSubjects = [subjects.baseline, ...subjects.guarded];
  const labels = new Map<string, string>();
  for (const s of trialSubjects) if (!labels.has(s.hash)) labels.set(s.hash, s.label);
  const labelOf = (hash: string) => labels.get(hash) ?? hash;
  const trialPlan: TrialPlan = {
    subjects: trialSubjects,
    tasks: plan.tasks,
    seeds: plan.seeds,
    steps: plan.steps,
    seed: plan.seed,
    salt: CI_SALT,
  };
  log(
    `ci: ${subjects.guarded.length} genome(s) vs ${plan.baseline.label} on ${plan.tasks.join(', ')}, ${plan.steps} steps × ${plan.seeds} seeds; journal ${displayPath(work.journalPath, cwd)}`,
  );

  const trial = await createTrialEvaluator(
    { ...loaded, config: { ...loaded.config, tasks } },
    plan.tasks,
    'validation',
    log,
  );
  let results: TrialResults | undefined;
  let done = 0;
  let total = 0;
  const stopped = () =>
    new EvoptError(
      'ABORTED',
      `ci stopped; ${done > 0 ? `${done} of ${total}` : 'the finished'} evaluations are journaled in ${displayPath(work.journalPath, cwd)}.`,
      {
        fix: 'Rerun the same `evopt ci` command to continue where it stopped (or add --fresh to start over).',
      },
    );
  try {
    results = await runTrials(trialPlan, {
      evaluator: trial.evaluator,
      journalPath: work.journalPath,
      signal: options.signal,
      onRecord: (r, n, of) => {
        done = n;
        total = of;
        log(
          `ci: [${n}/${of}] ${labelOf(r.hash)} ${r.task} seed ${r.seedIndex}: ${r.status === 'ok' ? r.score.toFixed(4) : `${r.status} (${r.score})`}`,
        );
      },
    });
  } catch (error) {
    if (options.signal.aborted) throw stopped();
    throw error;
  } finally {
    await trial.evaluator.close();
  }
  if (options.signal.aborted) throw stopped();
  const failed = results.all.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw failedError(failed, results.all.length, labelOf, displayPath(work.journalPath, cwd));

  let report: CiReport;
  if (options.updateBaseline) {
    const measured = evaluateChecks(results, plan, null);
    const next = buildRecord(plan, measured.genomes, {
      updatedAt: (options.now?.() ?? new Date()).toISOString(),
      evoptVersion: EVOPT_VERSION,
    });
    try {
      writeRecord(settings.recordPath, next);
    } catch (error) {
      throw new EvoptError(
        'INTERNAL',
        `Cannot write the ci record to ${recordPath}: ${error instanceof Error ? error.message : String(error)}`,
        {
          fix: 'Check that its directory is writable; the evaluations are journaled, so rerunning costs nothing.',
          details: { kind: 'output', path: settings.recordPath },
          cause: error,
        },
      );
    }
    report = evaluateChecks(results, { ...plan, record: { path: recordPath, updated: true } }, next);
  } else {
    report = evaluateChecks(results, plan, record);
  }
  writeOutputs(report, options, { cwd, print: options.print, log });
  clearWorkDir(work);
  return { report, exitCode: report.status === 'pass' ? CI_EXIT.pass : CI_EXIT.regression };
}
