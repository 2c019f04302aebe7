import type { CiReport } from './report.js';

/**
 * The report as JSON (schema evopt.ci-report/1). Numbers JSON cannot hold (an infinite t
 * statistic when differences have no spread, NaN) are written as null.
 */
export function renderJson(report: CiReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}
