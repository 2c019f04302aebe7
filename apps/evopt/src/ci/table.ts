import { columns, padEnd, padStart } from '../format/width.js';
import type { CiReport } from './report.js';
import { COLUMNS, describeCounts, describeSettings, NUMERIC, reportRows, ROW_HEADINGS, type CiRow } from './rows.js';

/** The report as a plain-text table for a terminal or a CI log, with the failing checks spelled out. */
export function renderTable(report: CiReport): string {
  const rows = [ROW_HEADINGS(report.settings.baseline), ...reportRows(report)];
  // Terminal columns, not string length: a genome file may be named in CJK.
  const widths = COLUMNS.map((column) => Math.max(...rows.map((r) => columns(r[column]))));
  const line = (row: CiRow) =>
    COLUMNS.map((column, i) => (NUMERIC.has(column) ? padStart : padEnd)(row[column], widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [`evopt ci: ${describeSettings(report)}`, '', ...rows.map(line), ''];
  for (const check of report.checks) if (check.status === 'regression') out.push(`✗ ${check.message}`);
  for (const hint of report.hints) out.push(`hint: ${hint}`);
  if (report.record.updated) out.push(`record: wrote ${report.record.path}`);
  out.push(`${report.status === 'pass' ? 'PASS' : 'FAIL'}: ${describeCounts(report)}`);
  return out.join('\n');
}
