import { barChart } from '../charts/index.js';
import type { ComparisonReport } from './report.js';

/** Fitness per task (and overall) per genome, bars with 95% interval error bars, as a standalone SVG. */
export function renderChart(report: ComparisonReport): string {
  const all = report.overall.find((s) => s.group === 'all');
  const categories = [...report.tasks.map((t) => (t.heldOut ? `${t.id} (held out)` : t.id)), 'overall'];
  const series = report.subjects.map((subject) => {
    const cells = [
      ...report.tasks.map((t) => report.results.find((r) => r.task === t.id && r.subject === subject.label)),
      all?.results.find((r) => r.subject === subject.label),
    ];
    return {
      label: subject.label,
      values: cells.map((c) => c?.fitness.mean ?? null),
      low: cells.map((c) => c?.fitness.low ?? null),
      high: cells.map((c) => c?.fitness.high ?? null),
    };
  });
  const { seeds, level, baselinesTuned } = report.settings;
  return barChart({
    title: `Fitness on the test split: mean and ${Math.round(level * 100)}% interval over ${seeds} seeds (${baselinesTuned ? 'tuned' : 'untuned'} baselines)`,
    categories,
    series,
    yLabel: 'fitness',
  });
}
