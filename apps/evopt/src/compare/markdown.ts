import { formatNumber } from '@evopt/core';
import { escapeMarkdownCell } from '../format/escape.js';
import {
  formatAccuracy,
  formatInterval,
  formatP,
  formatRelative,
  formatScore,
  groupTitle,
  MISSING,
  settingsLine,
  taskSections,
} from './format.js';
import type { ComparisonReport, Interval, ResultCell } from './report.js';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${header.map(escapeMarkdownCell).join(' | ')} |`,
    `|${header.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.map(escapeMarkdownCell).join(' | ')} |`),
  ];
}

/** "0.9123 ± 0.0081": the mean and half the interval's width, as the paper's tables print it. */
function meanPlusMinus(interval: Interval | null): string {
  if (!interval || interval.mean === null) return MISSING;
  if (interval.low === null || interval.high === null || interval.n < 2) return interval.mean.toFixed(4);
  return `${interval.mean.toFixed(4)} ± ${((interval.high - interval.low) / 2).toFixed(4)}`;
}

function resultTable(report: ComparisonReport, cells: readonly ResultCell[], withAccuracy: boolean): string[] {
  const { alpha, reference } = report.settings;
  const ref = reference ?? 'reference';
  const header = [
    'genome',
    'fitness',
    '95% CI',
    `vs ${ref}`,
    'p',
    ...(withAccuracy ? ['test accuracy', '95% CI', `vs ${ref}`, 'p'] : []),
    'diverged',
    'failed',
  ];
  const rows = cells.map((c) => {
    const isReference = c.subject === reference;
    return [
      isReference ? `**${c.subject}**` : c.subject,
      formatScore(c.fitness.mean),
      formatInterval(c.fitness),
      isReference ? 'reference' : formatRelative(c.vsReference?.fitness.relative),
      formatP(c.vsReference?.fitness.pValue, alpha),
      ...(withAccuracy
        ? [
            formatAccuracy(c.testAccuracy?.mean),
            c.testAccuracy && c.testAccuracy.low !== null && c.testAccuracy.high !== null
              ? `[${formatAccuracy(c.testAccuracy.low)}, ${formatAccuracy(c.testAccuracy.high)}]`
              : MISSING,
            isReference ? 'reference' : formatRelative(c.vsReference?.testAccuracy?.relative),
            formatP(c.vsReference?.testAccuracy?.pValue, alpha),
          ]
        : []),
      String(c.diverged),
      String(c.failed),
    ];
  });
  return table(header, rows);
}

/** The paper's summary: one row per genome, a metric per task and overall (fitness, or test accuracy). */
function summary(report: ComparisonReport, metric: 'fitness' | 'testAccuracy'): string[] {
  const pick = (c: ResultCell | undefined): Interval | null =>
    c ? (metric === 'fitness' ? c.fitness : c.testAccuracy) : null;
  const tasks = metric === 'fitness' ? report.tasks : report.tasks.filter((t) => t.hasTestAccuracy);
  const all = report.overall.find((s) => s.group === 'all');
  const extra = report.overall.filter((s) => s.group !== 'all');
  const header = [
    'genome',
    ...tasks.map((t) => (t.heldOut ? `${t.id} (held out)` : t.id)),
    ...extra.map((s) => `overall, ${s.group}`),
    'overall',
  ];
  const rows = report.subjects.map((s) => [
    s.label,
    ...tasks.map((t) => meanPlusMinus(pick(report.results.find((r) => r.task === t.id && r.subject === s.label)))),
    ...extra.map((section) => meanPlusMinus(pick(section.results.find((r) => r.subject === s.label)))),
    meanPlusMinus(pick(all?.results.find((r) => r.subject === s.label))),
  ]);
  return table(header, rows);
}

/**
 * The comparison as Markdown: how it was run (and whether the baselines were tuned), the notes,
 * the genomes, the paper-style summary, overall sections (search and held-out apart), every task,
 * and the chart (`svg`, a file name beside the Markdown).
 */
export function renderMarkdown(report: ComparisonReport, options: { svg?: string } = {}): string {
  const { settings } = report;
  const out: string[] = ['# evopt compare', ''];
  out.push(
    `Scored on the **test split** (where a task has one) with ${settings.seeds} fresh seeds per task that search never used (salt \`${settings.salt}\`, seed ${settings.seed}), ${settings.steps} steps each. ` +
      `Mean over seeds with a ${Math.round(settings.level * 100)}% percentile-bootstrap interval (${settings.resamples} resamples); ` +
      (settings.reference
        ? `relative change and two-sided paired t-test over shared seeds against \`${settings.reference}\` (* p < ${settings.alpha}). `
        : '') +
      `Fitness per seed is the task's score (−1 when a seed diverged or failed), as in search. **${settings.baselinesTuned ? 'Tuned baselines' : 'Untuned baselines'}.**`,
    '',
    `_${settingsLine(report)}_`,
    '',
  );
  if (report.notes.length > 0) out.push(...report.notes.map((n) => `- ${n}`), '');

  out.push('## Genomes', '');
  out.push(
    ...table(
      ['genome', 'role', 'lr', 'formula', 'hyperparameters', 'hash'],
      report.subjects.map((s) => [
        s.label,
        s.role + (s.run ? ` (run ${s.run.runId})` : ''),
        formatNumber(s.lr),
        `\`${s.formula}\``,
        s.hyperparameters,
        `\`${s.hash}\``,
      ]),
    ),
    '',
  );

  const tuned = report.subjects.filter((s) => s.tuning);
  if (tuned.length > 0) {
    out.push(
      '## Baseline tuning',
      '',
      "Each baseline's learning rate was chosen by mean fitness on the validation split (its own seeds), then scored on test.",
      '',
    );
    out.push(
      ...table(
        ['baseline', 'default lr', 'chosen lr', 'validation fitness per lr'],
        tuned.map((s) => [
          s.label,
          formatNumber(s.tuning?.defaultLr ?? s.lr),
          `**${formatNumber(s.tuning?.chosenLr ?? s.lr)}** (×${s.tuning?.chosenMultiplier})`,
          (s.tuning?.grid ?? []).map((g) => `${formatNumber(g.lr)}: ${formatScore(g.fitness.mean)}`).join(', '),
        ]),
      ),
      '',
    );
  }

  out.push('## Summary', '', 'Fitness, mean ± half the 95% interval.', '', ...summary(report, 'fitness'), '');
  if (report.tasks.some((t) => t.hasTestAccuracy)) {
    out.push(
      'Test accuracy, mean ± half the 95% interval (over the tasks that report it, from the seeds that finished).',
      '',
      ...summary(report, 'testAccuracy'),
      '',
    );
  }
  if (options.svg) out.push(`![fitness per task with 95% intervals](${options.svg})`, '');

  out.push(
    '## Overall',
    '',
    'Per seed, the mean over the tasks of the group; intervals and tests are over those per-seed means.',
    '',
  );
  for (const section of report.overall) {
    const withAccuracy = section.results.some((r) => r.testAccuracy !== null);
    out.push(
      `### Overall, ${groupTitle(report, section)}`,
      '',
      `Tasks: ${section.tasks.join(', ')}.`,
      '',
      ...resultTable(report, section.results, withAccuracy),
      '',
    );
  }

  for (const { title, tasks } of taskSections(report)) {
    out.push(`## ${title}`, '');
    for (const task of tasks) {
      out.push(
        `### ${task.id}`,
        '',
        `Split: ${task.split}.${task.searchedBy.length > 0 ? ` Searched by: ${task.searchedBy.join(', ')}.` : ''} Seeds: ${task.seeds.join(', ')}.`,
        '',
      );
      out.push(
        ...resultTable(
          report,
          report.results.filter((r) => r.task === task.id),
          task.hasTestAccuracy,
        ),
        '',
      );
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
