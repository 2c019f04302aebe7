import { barChart, lineChart, stackedBarChart, type BarSeries } from '../charts/index.js';
import type { RunAnalysis } from './analyze.js';
import { figure } from './html.js';

/** Best, mean and median fitness per generation, with each baseline's fitness as a reference line. */
export function fitnessFigure(analysis: RunAnalysis): string {
  const rows = analysis.generations;
  const line = (label: string, pick: (r: (typeof rows)[number]) => number, dashed = false) => ({
    label,
    points: rows.map((r) => ({ x: r.generation, y: pick(r) })),
    ...(dashed && { dashed }),
  });
  const svg = lineChart({
    title: 'Fitness per generation',
    series: [line('best', (r) => r.best), line('mean', (r) => r.mean), line('median', (r) => r.median, true)],
    references: analysis.baselines.map((b) => ({ label: b.id, y: b.fitness })),
    xLabel: 'generation',
    yLabel: 'fitness',
  });
  return figure(
    svg,
    'Search fitness (validation split where the task has one) of the best, mean and median genome per generation. Dotted lines: the baseline genomes of generation 0, same steps and seeds. Diverged and failed evaluations score −1, which pulls the mean down.',
  );
}

/** The share of the population whose genome uses each primitive, per generation, stacked. */
export function termMixFigure(analysis: RunAnalysis): string {
  const rows = analysis.generations;
  const svg = stackedBarChart({
    title: 'Term mix of the population',
    categories: rows.map((r) => String(r.generation)),
    series: analysis.primitives.map((id) => ({
      label: id,
      values: rows.map((r) => (r.termShares ? (r.termShares[id] ?? 0) : null)),
    })),
    xLabel: 'generation',
    yLabel: 'share of genomes using it (stacked)',
    yInclude: [0, 1],
  });
  return figure(
    svg,
    "Each band is the share of the population whose genome has a term with that primitive; a genome with several primitives counts in each, so a column's height is the mean number of distinct primitives per genome.",
  );
}

export function diversityFigure(analysis: RunAnalysis): string {
  const rows = analysis.generations.filter((r) => r.diversity !== null);
  const svg = lineChart({
    title: 'Diversity per generation',
    series: [{ label: 'diversity', points: rows.map((r) => ({ x: r.generation, y: r.diversity ?? Number.NaN })) }],
    xLabel: 'generation',
    yLabel: 'distinct structures / population',
    yInclude: [0, 1],
    height: 260,
  });
  return figure(
    svg,
    'Distinct term structures (sets of primitives) over the population size: 1 means no two genomes share a structure.',
  );
}

/** The best genome against the baselines on each task, whiskers spanning the seeds' scores. */
export function perTaskFigure(analysis: RunAnalysis): string {
  const best = analysis.best;
  if (!best) return '';
  const tasks = analysis.settings.tasks.length > 0 ? analysis.settings.tasks : Object.keys(best.scored.perTask);
  const categories = [...tasks, 'all tasks'];
  const spread = analysis.settings.seeds !== null && analysis.settings.seeds > 1;
  const series: BarSeries[] = [
    {
      label: `best (${best.scored.hash})`,
      values: [...tasks.map((t) => best.perTask[t]?.mean ?? best.scored.perTask[t] ?? null), best.scored.fitness],
      ...(spread && {
        low: [...tasks.map((t) => best.perTask[t]?.min ?? null), null],
        high: [...tasks.map((t) => best.perTask[t]?.max ?? null), null],
      }),
    },
    ...analysis.baselines.map((b) => ({
      label: b.id,
      values: [...tasks.map((t) => b.perTask[t]?.mean ?? null), b.fitness],
      ...(spread && {
        low: [...tasks.map((t) => b.perTask[t]?.min ?? null), null],
        high: [...tasks.map((t) => b.perTask[t]?.max ?? null), null],
      }),
    })),
  ];
  const svg = barChart({ title: 'Best genome vs baselines, per task', categories, series, yLabel: 'score' });
  return figure(
    svg,
    `Mean score over ${analysis.settings.seeds ?? '?'} seed(s) per task${spread ? '; whiskers span the lowest and highest seed' : ''}. A dash marks a baseline the journal has no records for.`,
  );
}
