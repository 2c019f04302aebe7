import { formatNumber } from '@evopt/core';
import {
  formatAccuracy,
  formatInterval,
  formatP,
  formatRelative,
  formatScore,
  groupTitle,
  settingsLine,
  taskSections,
} from './format.js';
import type { ComparisonReport, ResultCell } from './report.js';
import { columns, fit, padEnd, padStart, wrap } from '../format/width.js';

/** The terminal is assumed this wide; every line of the table fits. */
export const TABLE_WIDTH = 100;
/** Longer subject labels (run ids) are cut to this, with an ellipsis. */
const LABEL_WIDTH = 26;

/** Pads each column to its widest cell, in terminal columns; `right` columns align right (numbers). */
function align(rows: readonly (readonly string[])[], right: readonly boolean[], indent = '  '): string[] {
  const widths = right.map((_, c) => Math.max(...rows.map((r) => columns(r[c] ?? ''))));
  const pad = (cell: string, c: number) => (right[c] ? padStart : padEnd)(cell, widths[c] ?? 0);
  return rows.map((row) => indent + row.map(pad).join('  ').trimEnd());
}

/** Word-wraps `text` to `width` columns after `indent`, continuation lines indented two more spaces. */
function hangingWrap(text: string, width: number, indent: string): string[] {
  const [first = '', ...rest] = wrap(text, width - indent.length - 2);
  return [`${indent}${first}`, ...rest.map((line) => `${indent}  ${line}`)];
}

function resultRows(report: ComparisonReport, cells: readonly ResultCell[]): string[] {
  const { reference, alpha, level } = report.settings;
  // Columns that would hold only dashes or blanks are left out.
  const accuracy = cells.some((c) => (c.testAccuracy?.mean ?? null) !== null);
  const troubles = cells.some((c) => c.diverged + c.failed > 0);
  const header = [
    'subject',
    'fitness',
    `${Math.round(level * 100)}% CI`,
    ...(accuracy ? ['test acc'] : []),
    ...(reference ? [`vs ${reference}`, 'p'] : []),
    ...(troubles ? ['div/fail'] : []),
  ];
  const rows = cells.map((cell) => [
    fit(cell.subject, LABEL_WIDTH),
    formatScore(cell.fitness.mean),
    formatInterval(cell.fitness),
    ...(accuracy ? [formatAccuracy(cell.testAccuracy?.mean)] : []),
    ...(reference
      ? [
          cell.subject === reference ? 'ref' : formatRelative(cell.vsReference?.fitness.relative),
          formatP(cell.vsReference?.fitness.pValue, alpha),
        ]
      : []),
    ...(troubles ? [cell.diverged + cell.failed > 0 ? `${cell.diverged}/${cell.failed}` : ''] : []),
  ]);
  return align(
    [header, ...rows],
    header.map((_, c) => c !== 0 && c !== 2),
  );
}

/**
 * The comparison as plain aligned text for the terminal (no colour), every line at most
 * {@link TABLE_WIDTH} columns: the genomes, the overall sections, each task, and the notes.
 */
export function renderTable(report: ComparisonReport): string {
  const lines: string[] = [fit(`evopt compare · ${settingsLine(report)}`, TABLE_WIDTH), ''];
  lines.push('genomes');
  const genomeRows = report.subjects.map((s) => [
    fit(s.label, LABEL_WIDTH),
    s.role,
    `lr ${formatNumber(s.lr)}${s.tuning ? ` (×${s.tuning.chosenMultiplier})` : ''}`,
    s.formula,
  ]);
  lines.push(...align(genomeRows, [false, false, false, false]).map((l) => fit(l, TABLE_WIDTH)));
  for (const section of report.overall) {
    lines.push('', fit(`overall, ${groupTitle(report, section)}: ${section.tasks.join(', ')}`, TABLE_WIDTH));
    lines.push(...resultRows(report, section.results));
  }
  for (const { title, tasks } of taskSections(report)) {
    lines.push('', fit(title, TABLE_WIDTH));
    for (const task of tasks) {
      lines.push(fit(`${task.id} (split: ${task.split})`, TABLE_WIDTH));
      lines.push(
        ...resultRows(
          report,
          report.results.filter((r) => r.task === task.id),
        ),
      );
    }
  }
  if (report.notes.length > 0) {
    lines.push('', 'notes');
    for (const note of report.notes) lines.push(...hangingWrap(`- ${note}`, TABLE_WIDTH, '  '));
  }
  const { level, reference, alpha } = report.settings;
  lines.push(
    '',
    `fitness: mean over seeds with a ${Math.round(level * 100)}% bootstrap interval; a diverged or failed seed scores -1.`,
  );
  if (reference)
    lines.push(
      `vs ${reference}: relative change of the mean; p: two-sided paired t-test over seeds, * below ${alpha}.`,
    );
  return lines.map((l) => fit(l, TABLE_WIDTH)).join('\n');
}
