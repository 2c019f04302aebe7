import { existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  buildRegistries,
  EvoptError,
  formatNumber,
  genomeHash,
  loadConfig,
  readConfigFile,
  renderFormula,
  renderHyperparameters,
  runPaths,
  writeJson,
  writeText,
  type BackendName,
  type LoadedConfig,
  type ReadonlyRegistries,
} from '@evopt/core';
import { APP_DIR } from '../composition/container.js';
import { parseSavedRunConfig } from '../commands/run-config.js';
import {
  createTrialEvaluator,
  resolveSubject,
  runTrials,
  type TrialPlan,
  type TrialResults,
  type TrialSplit,
  type TrialSubject,
} from '../trials/index.js';
import { EVOPT_VERSION } from '../version.js';
import { analyzeComparison, type ComparedSubject } from './analysis.js';
import { renderChart } from './chart.js';
import { renderMarkdown } from './markdown.js';
import {
  assembleSubjects,
  COMPARE_SALT,
  compareFingerprint,
  DEFAULT_COMPARE_BASELINES,
  DEFAULT_COMPARE_SEEDS,
} from './plan.js';
import { trialProgress } from './progress.js';
import type { ComparisonReport, TuningReport } from './report.js';
import { selectLearningRates, TUNE_MULTIPLIERS, TUNE_SALT, tuningVariants } from './tuning.js';

export interface CompareOptions {
  readonly cwd: string;
  /** What the user typed: genome files, run directories, run ids or baseline ids. */
  readonly references: readonly string[];
  /** Baseline ids (default: {@link DEFAULT_COMPARE_BASELINES}). */
  readonly baselines?: readonly string[];
  readonly tasks?: readonly string[];
  readonly seeds?: number;
  readonly steps?: number;
  readonly seed?: number;
  /** Output directory (default: .evopt/compare/<fingerprint>). */
  readonly out?: string;
  readonly configFile?: string;
  readonly workers?: number;
  readonly backend?: BackendName;
  readonly tuneBaselines?: boolean;
  readonly signal?: AbortSignal;
  readonly log: (message: string) => void;
}

export interface CompareFiles {
  readonly dir: string;
  readonly markdown: string;
  readonly json: string;
  readonly svg: string;
  readonly journal: string;
  /** The tuning journal, with --tune-baselines. */
  readonly tuningJournal: string | null;
}

export interface CompareOutcome {
  readonly report: ComparisonReport;
  readonly files: CompareFiles;
}

/**
 * The config evaluations use: --config if given, else the first run subject's saved config (its
 * plugins and task options are the ones search used), else the project's. Flags go on top.
 */
function chooseConfig(
  options: CompareOptions,
  project: LoadedConfig,
  subjects: readonly TrialSubject[],
): { loaded: LoadedConfig; source: string } {
  const run = subjects.find((s) => s.run)?.run;
  let loaded = project;
  let source = project.filepath
    ? relative(options.cwd, project.filepath) || project.filepath
    : `preset ${project.config.preset ?? 'none'}`;
  if (!options.configFile && run && existsSync(runPaths(run.dir).config)) {
    const path = runPaths(run.dir).config;
    const saved = parseSavedRunConfig(readConfigFile(path), path);
    loaded = { config: saved.config, filepath: saved.configFile, baseDir: saved.baseDir };
    source = `run ${run.runId}'s config.json`;
  }
  const { config } = loaded;
  const evaluator =
    options.workers === undefined
      ? config.evaluation.evaluator
      : {
          ...config.evaluation.evaluator,
          options: { ...config.evaluation.evaluator.options, workers: options.workers },
        };
  return {
    loaded: {
      ...loaded,
      config: {
        ...config,
        ...(options.backend && { backend: options.backend }),
        evaluation: { ...config.evaluation, evaluator },
      },
    },
    source,
  };
}

async function trials(
  loaded: LoadedConfig,
  plan: TrialPlan,
  split: TrialSplit,
  journalPath: string,
  options: CompareOptions,
): Promise<{ results: TrialResults; splits: Readonly<Record<string, TrialSplit | 'task default'>> }> {
  const trial = await createTrialEvaluator(loaded, plan.tasks, split, options.log);
  try {
    const progress = trialProgress(split === 'test' ? 'test' : 'tuning', options.log);
    const results = await runTrials(plan, {
      evaluator: trial.evaluator,
      journalPath,
      ...(options.signal && { signal: options.signal }),
      onStart: progress.onStart,
      onRecord: progress.onRecord,
    });
    const records = results.all;
    if (records.length > 0 && records.every((r) => r.status === 'failed')) {
      throw new EvoptError(
        'EVALUATION_FAILED',
        `Every evaluation on the ${split} split failed. The first error: ${records[0]?.error?.message ?? 'unknown'}`,
        {
          fix: 'Fix the cause above (a task option, a missing dataset, the backend), then run the same command again: failed evaluations are retried, finished ones kept.',
          details: { split, failed: records.length, journal: journalPath },
        },
      );
    }
    return { results, splits: trial.splits };
  } finally {
    await trial.evaluator.close();
  }
}

function compared(
  subject: TrialSubject,
  role: ComparedSubject['role'],
  registries: ReadonlyRegistries,
  tuning: TuningReport | null,
): ComparedSubject {
  return {
    ...subject,
    role,
    formula: renderFormula(subject.genome, registries),
    hyperparameters: renderHyperparameters(subject.genome),
    tuning,
  };
}

/**
 * `evopt compare`: scores the given genomes and the baselines on fresh seeds on the test split
 * (optionally tuning the baselines' learning rates on validation first), and writes compare.md,
 * compare.json and compare.svg. Every evaluation is journaled in the output directory, so the
 * same command after an interruption continues where it stopped.
 */
export async function runCompare(options: CompareOptions): Promise<CompareOutcome> {
  const { cwd, log } = options;
  const project = await loadConfig({ cwd, ...(options.configFile && { configFile: options.configFile }) });
  const resolveOptions = { cwd, runsDir: project.config.runsDir };
  const given: TrialSubject[] = [];
  for (const reference of options.references) given.push(await resolveSubject(reference, resolveOptions));
  const { loaded, source } = chooseConfig(options, project, given);
  const { config } = loaded;
  const { registries } = await buildRegistries(config.plugins, loaded.baseDir, [APP_DIR]);

  const tasks = [
    ...(options.tasks ??
      given.find((s) => s.run && s.run.tasks.length > 0)?.run?.tasks ??
      config.tasks.map((t) => t.id)),
  ];
  for (const task of tasks) registries.tasks.lookup(task);
  const seeds = options.seeds ?? DEFAULT_COMPARE_SEEDS;
  const steps = options.steps ?? config.evaluation.steps;
  const seed = options.seed ?? 0;
  const tune = options.tuneBaselines ?? false;
  const baselineIds = [...(options.baselines ?? DEFAULT_COMPARE_BASELINES)];
  // Hashes with the loaded primitives, so a run's genome keeps the hash its run gave it.
  const rehash = (s: TrialSubject): TrialSubject => ({ ...s, hash: genomeHash(s.genome, registries) });
  const candidates = given.map(rehash);
  const baselines: TrialSubject[] = [];
  for (const id of baselineIds) baselines.push(rehash(await resolveSubject(id, resolveOptions)));

  const fingerprint = compareFingerprint({
    subjects: candidates.map((s) => s.hash),
    baselines: baselineIds,
    tasks,
    seeds,
    steps,
    seed,
    tune,
  });
  const dir = resolve(cwd, options.out ?? join('.evopt', 'compare', fingerprint));
  mkdirSync(dir, { recursive: true });
  const files: CompareFiles = {
    dir,
    markdown: join(dir, 'compare.md'),
    json: join(dir, 'compare.json'),
    svg: join(dir, 'compare.svg'),
    journal: join(dir, 'trials-test.jsonl'),
    tuningJournal: tune ? join(dir, 'trials-validation.jsonl') : null,
  };
  log(
    `compare: ${candidates.length + baselines.length} genomes × ${tasks.length} task${tasks.length === 1 ? '' : 's'} × ${seeds} seeds, ${steps} steps (config: ${source}) → ${dir}`,
  );

  const tuned = new Map<string, { subject: TrialSubject; tuning: TuningReport }>();
  if (tune && baselines.length > 0) {
    const variants = tuningVariants(baselines, registries, TUNE_MULTIPLIERS);
    const plan: TrialPlan = { subjects: variants.map((v) => v.subject), tasks, seeds, steps, seed, salt: TUNE_SALT };
    log(
      `tuning: ${baselines.map((b) => b.label).join(', ')} at ${TUNE_MULTIPLIERS.map((m) => `×${m}`).join(', ')} of their learning rates, on the validation split`,
    );
    const { results } = await trials(loaded, plan, 'validation', files.tuningJournal as string, options);
    for (const [label, choice] of selectLearningRates(results, variants)) tuned.set(label, choice);
    log(`tuning: chose ${[...tuned].map(([label, c]) => `${label} lr ${formatNumber(c.tuning.chosenLr)}`).join(', ')}`);
  }

  const subjects = assembleSubjects(
    candidates,
    baselines.map((b) => tuned.get(b.label)?.subject ?? b),
  ).map(({ subject, role }) =>
    compared(subject, role, registries, role === 'baseline' ? (tuned.get(subject.label)?.tuning ?? null) : null),
  );
  const plan: TrialPlan = { subjects, tasks, seeds, steps, seed, salt: COMPARE_SALT };
  const { results, splits } = await trials(loaded, plan, 'test', files.journal, options);
  const report = analyzeComparison(results, {
    subjects,
    splits,
    tuning: tuned.size > 0 ? { salt: TUNE_SALT, multipliers: TUNE_MULTIPLIERS } : null,
    evoptVersion: EVOPT_VERSION,
  });
  writeJson(files.json, report);
  writeText(files.svg, renderChart(report));
  writeText(files.markdown, renderMarkdown(report, { svg: 'compare.svg' }));
  return { report, files };
}
