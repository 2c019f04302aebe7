import { formatChange } from '@evopt/core';
import type { ComparisonReport, Interval, OverallSection, ReportTask } from './report.js';

/** What a missing number prints as. */
export const MISSING = '—';

export function formatScore(value: number | null): string {
  return value === null ? MISSING : value.toFixed(4);
}

export function formatInterval(interval: Interval | null): string {
  if (!interval || interval.low === null || interval.high === null) return MISSING;
  return `[${interval.low.toFixed(4)}, ${interval.high.toFixed(4)}]`;
}

/** A share as a percentage: 0.9312 → "93.1%". */
export function formatAccuracy(value: number | null | undefined): string {
  return value === null || value === undefined ? MISSING : `${(value * 100).toFixed(1)}%`;
}

/** A signed relative change with two decimals, as the paper's tables print it: "+2.31%", "-0.40%". */
export function formatRelative(value: number | null | undefined): string {
  return formatChange(value, 2) ?? MISSING;
}

/** "0.012", "<0.001", with " *" when below `alpha`. */
export function formatP(value: number | null | undefined, alpha: number): string {
  if (value === null || value === undefined) return MISSING;
  const text = value < 0.001 ? '<0.001' : value.toFixed(3);
  return value < alpha ? `${text} *` : text;
}

/** How a task group is titled: held-out tasks are the claim that matters, so say which is which. */
export function groupTitle(report: ComparisonReport, section: OverallSection): string {
  const tasks = report.tasks.filter((t) => section.tasks.includes(t.id));
  if (section.group === 'search') return 'search tasks';
  if (section.group === 'held-out') return 'held-out tasks';
  if (!report.settings.heldOutKnown) return 'all tasks (held-out status unknown)';
  if (tasks.every((t) => t.heldOut === true)) return 'all tasks (held out: search never used them)';
  if (tasks.every((t) => t.heldOut === false)) return 'all tasks (all used by search)';
  return 'all tasks';
}

/** Tasks in report order, search tasks before held-out ones, with a heading for each kind. */
export function taskSections(report: ComparisonReport): { title: string; tasks: ReportTask[] }[] {
  if (!report.settings.heldOutKnown)
    return [{ title: 'Tasks (held-out status unknown: no subject comes from a run)', tasks: [...report.tasks] }];
  const search = report.tasks.filter((t) => t.heldOut === false);
  const heldOut = report.tasks.filter((t) => t.heldOut === true);
  return [
    ...(search.length > 0
      ? [{ title: 'Search tasks (used by the search that found the candidates)', tasks: search }]
      : []),
    ...(heldOut.length > 0 ? [{ title: 'Held-out tasks (never used by search)', tasks: heldOut }] : []),
  ];
}

/** The one-line description of how the comparison was run. */
export function settingsLine(report: ComparisonReport): string {
  const { settings } = report;
  return `test split · ${settings.seeds} seeds × ${settings.steps} steps · seed ${settings.seed} · ${settings.baselinesTuned ? 'tuned baselines' : 'untuned baselines'}`;
}
