import { escapeMarkdownCell } from '../format/escape.js';
import type { CiReport } from './report.js';
import { COLUMNS, describeCounts, describeSettings, NUMERIC, reportRows, ROW_HEADINGS, type CiRow } from './rows.js';

/**
 * The report as GitHub-flavoured Markdown, for `--summary` and `$GITHUB_STEP_SUMMARY`: the verdict,
 * the settings, one row per genome, and each regression's numbers.
 */
export function renderMarkdown(report: CiReport): string {
  const rows = reportRows(report);
  const row = (r: CiRow) =>
    `| ${COLUMNS.map((c) => escapeMarkdownCell(c === 'versusBaseline' || c === 'record' ? emphasis(r[c]) : r[c])).join(' | ')} |`;
  const out = [
    `## evopt ci: ${report.status === 'pass' ? '✅ pass' : '❌ regression'}`,
    '',
    `${describeSettings(report)}.`,
    '',
    row(ROW_HEADINGS(report.settings.baseline)),
    `|${COLUMNS.map((c) => (NUMERIC.has(c) ? ' ---: ' : ' --- ')).join('|')}|`,
    ...rows.map(row),
    '',
    `**${describeCounts(report)}.**`,
  ];
  const regressions = report.checks.filter((c) => c.status === 'regression');
  if (regressions.length > 0)
    out.push('', '### Regressions', '', ...regressions.map((c) => `- ${escapeInline(c.message)}`));
  if (report.hints.length > 0 || report.record.updated) {
    out.push('', ...report.hints.map((h) => `> ${escapeInline(h)}`));
    if (report.record.updated) out.push(`> Wrote the record ${escapeInline(report.record.path)}.`);
  }
  return `${out.join('\n')}\n`;
}

function emphasis(status: string): string {
  return status === 'REGRESSION' ? '**REGRESSION**' : status;
}

/** Genome labels come from file names: keep them from starting Markdown syntax mid-line. */
function escapeInline(text: string): string {
  return text.replace(/([\\*_[\]<>])/g, '\\$1');
}
