import {
  aggregateFitness,
  formatAlpha,
  type EvoptEvent,
  type Genome,
  type GenerationStartedEvent,
  type RunStatus,
  type ScoredGenome,
} from '@evopt/core';
import type { ReportData } from './data.js';
import { evaluationStats, RecordIndex, scoresByTask, type EvaluationStats, type TaskScores } from './records.js';
import { runSettings, type RunSettings } from './settings.js';

/** One generation of the run, from its generation-finished record (or, failing that, the checkpoint). */
export interface GenerationRow {
  readonly generation: number;
  readonly best: number;
  readonly mean: number;
  readonly median: number;
  readonly evaluated: number;
  readonly cached: number;
  readonly diverged: number;
  readonly failed: number;
  readonly bestHash: string;
  /** Share of the population using each primitive; null where only the checkpoint knew the generation. */
  readonly termShares: Readonly<Record<string, number>> | null;
  readonly diversity: number | null;
}

export interface BestGenome {
  readonly scored: ScoredGenome;
  /** The generation that found it, when known. */
  readonly generation: number | null;
  readonly perTask: Readonly<Record<string, TaskScores>>;
}

/** A baseline genome seeded into generation 0, scored with the run's budget and seeds. */
export interface BaselineRow {
  readonly id: string;
  readonly hash: string | null;
  readonly fitness: number;
  readonly perTask: Readonly<Record<string, TaskScores>>;
}

export interface RankedGenome {
  readonly hash: string;
  readonly genome: Genome;
  readonly fitness: number;
  readonly perTask: Readonly<Record<string, number>>;
  /** The terms by primitive id ("1.43·rms + 0.02·unit"): needs no plugin to render. */
  readonly terms: string;
  /** The rendered formula, where the journal recorded one for this genome. */
  readonly formula: string | null;
  /** Records found for it, against the tasks × seeds it needs. */
  readonly evaluations: number;
  readonly expected: number | null;
  /** The baseline id, for a baseline genome. */
  readonly baseline: string | null;
}

export interface StatusSummary {
  readonly state: RunStatus;
  /** One line for the header, after the state: "3 of 3 generations finished". */
  readonly text: string;
  /** True unless the run finished: the report then covers only what the journal holds so far. */
  readonly partial: boolean;
}

export interface RunAnalysis {
  readonly settings: RunSettings;
  readonly status: StatusSummary;
  readonly generations: readonly GenerationRow[];
  /** Every primitive the population used, most used first. */
  readonly primitives: readonly string[];
  readonly best: BestGenome | null;
  readonly baselines: readonly BaselineRow[];
  /** The population of the last finished generation, best first. */
  readonly top: { readonly generation: number; readonly genomes: readonly RankedGenome[] } | null;
  readonly stats: EvaluationStats;
  /** The journal's warning events and a failed run's error, in words. */
  readonly warnings: readonly string[];
}

const of = <K extends EvoptEvent['type']>(events: readonly EvoptEvent[], type: K) =>
  events.filter((e): e is Extract<EvoptEvent, { type: K }> => e.type === type);

/** The terms by primitive id, "0.73·rms + 0.02·unit": a formula that needs no plugin to render. */
export function termNotation(genome: Genome): string {
  return genome.terms
    .map(
      (t, i) => `${t.alpha < 0 ? (i === 0 ? '−' : ' − ') : i === 0 ? '' : ' + '}${formatAlpha(t.alpha)}·${t.primitive}`,
    )
    .join('');
}

function generationRows(data: ReportData, settings: RunSettings): GenerationRow[] {
  const populations = new Map(of(data.events, 'generation-started').map((e) => [e.generation, e.population.length]));
  const rows = new Map<number, GenerationRow>();
  for (const e of of(data.events, 'generation-finished')) {
    const size = populations.get(e.generation) ?? settings.populationSize;
    const termShares = size ? Object.fromEntries(Object.entries(e.termCounts).map(([id, n]) => [id, n / size])) : null;
    rows.set(e.generation, { ...e, bestHash: e.best.hash, best: e.best.fitness, termShares, diversity: e.diversity });
  }
  for (const h of data.checkpoint?.history ?? [])
    if (!rows.has(h.generation)) rows.set(h.generation, { ...h, termShares: null, diversity: null });
  return [...rows.values()].sort((a, b) => a.generation - b.generation);
}

function statusOf(data: ReportData, settings: RunSettings, rows: readonly GenerationRow[]): StatusSummary {
  const done = `${rows.length} of ${settings.generations ?? '?'} generations finished`;
  const lastStart = data.events.findLastIndex((e) => e.type === 'generation-started');
  const started = data.events[lastStart] as GenerationStartedEvent | undefined;
  const inProgress =
    started && !rows.some((r) => r.generation === started.generation)
      ? `; generation ${started.generation} had ${data.events.slice(lastStart).filter((e) => e.type === 'evaluation-finished').length} of ${started.toEvaluate} evaluations done`
      : '';
  const failure = of(data.events, 'run-failed').at(-1);
  const text = {
    finished: done,
    running: `${done}${inProgress}${data.lockedBy ? `; driven by process ${data.lockedBy.pid} on ${data.lockedBy.hostname}` : ''}`,
    stopped: `${done}${inProgress}; continue with evopt resume`,
    failed: `${done}${inProgress}${failure ? `; ${failure.error.code ?? failure.error.name}: ${failure.error.message}` : ''}`,
    incomplete: `the process ended without finishing (crashed or killed): ${done}${inProgress}; continue with evopt resume`,
  }[data.status];
  return { state: data.status, text, partial: data.status !== 'finished' };
}

function bestGenome(data: ReportData, records: RecordIndex, settings: RunSettings): BestGenome | null {
  const newBests = of(data.events, 'new-best');
  const scored =
    of(data.events, 'run-finished').at(-1)?.best ?? data.best ?? data.checkpoint?.best ?? newBests.at(-1)?.best ?? null;
  if (!scored) return null;
  const generation =
    newBests.findLast((e) => e.best.hash === scored.hash)?.generation ??
    (data.best?.hash === scored.hash ? data.best.generation : undefined) ??
    null;
  return { scored, generation, perTask: scoresByTask(records.forGenome(scored.hash, settings.steps)) };
}

/** Generation 0's first entries are the baselines, in the order run-started lists them. */
function baselineRows(data: ReportData, records: RecordIndex, settings: RunSettings): BaselineRow[] {
  const first = of(data.events, 'generation-started').find((e) => e.generation === 0);
  const journaled = of(data.events, 'run-finished').at(-1)?.baselines ?? data.checkpoint?.baselines ?? {};
  return settings.baselineIds.map((id, i) => {
    const hash = first?.population[i]?.hash ?? null;
    const found = hash === null ? [] : records.forGenome(hash, settings.steps);
    const complete = settings.expectedPerGenome !== null && found.length >= settings.expectedPerGenome;
    const fitness = journaled[id] ?? (complete ? aggregateFitness(found).fitness : Number.NaN);
    return { id, hash, fitness, perTask: scoresByTask(found) };
  });
}

function knownFormulas(data: ReportData): Map<string, string> {
  const scored: (ScoredGenome | null | undefined)[] = [data.best, data.checkpoint?.best];
  for (const e of data.events)
    if (e.type === 'generation-finished' || e.type === 'new-best' || e.type === 'run-finished') scored.push(e.best);
  return new Map(
    scored.filter((s): s is ScoredGenome => !!s && typeof s.formula === 'string').map((s) => [s.hash, s.formula]),
  );
}

function topGenomes(
  data: ReportData,
  records: RecordIndex,
  settings: RunSettings,
  rows: readonly GenerationRow[],
  baselines: readonly BaselineRow[],
): RunAnalysis['top'] {
  const lastFinished = rows.at(-1)?.generation;
  const started = of(data.events, 'generation-started').findLast((e) => e.generation === lastFinished);
  if (lastFinished === undefined || !started) return null;
  const formulas = knownFormulas(data);
  const genomes = started.population
    .map(({ hash, genome }) => {
      const found = records.forGenome(hash, settings.steps);
      const fitness = aggregateFitness(found);
      return {
        hash,
        genome,
        fitness: fitness.fitness,
        perTask: fitness.perTask,
        terms: termNotation(genome),
        formula: formulas.get(hash) ?? null,
        evaluations: found.length,
        expected: settings.expectedPerGenome,
        baseline: baselines.find((b) => b.hash === hash)?.id ?? null,
      };
    })
    .sort((a, b) => b.fitness - a.fitness || a.hash.localeCompare(b.hash));
  return { generation: lastFinished, genomes };
}

function primitivesOf(rows: readonly GenerationRow[]): string[] {
  const totals = new Map<string, number>();
  for (const row of rows)
    for (const [id, share] of Object.entries(row.termShares ?? {})) totals.set(id, (totals.get(id) ?? 0) + share);
  return [...totals].sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([id]) => id);
}

/** Derives everything a report shows from the run's files. Pure: the same data gives the same analysis. */
export function analyzeRun(data: ReportData): RunAnalysis {
  const settings = runSettings(data);
  const records = new RecordIndex(data.events);
  const generations = generationRows(data, settings);
  const baselines = baselineRows(data, records, settings);
  const failure = of(data.events, 'run-failed').at(-1);
  return {
    settings,
    status: statusOf(data, settings, generations),
    generations,
    primitives: primitivesOf(generations),
    best: bestGenome(data, records, settings),
    baselines,
    top: topGenomes(data, records, settings, generations, baselines),
    stats: evaluationStats(records.all, data.events),
    warnings: [
      ...of(data.events, 'warning').map((w) => `${w.code}: ${w.message}`),
      ...(failure ? [`run failed: ${failure.error.message}`] : []),
    ],
  };
}
