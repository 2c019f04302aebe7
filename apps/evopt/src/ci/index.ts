export { evaluateChecks, formatP, type CiRecordSource } from './checks.js';
export { CI_EXIT, ciExitCode, ciUsageExitCode } from './exit.js';
export { renderJson } from './json.js';
export { renderJunit } from './junit.js';
export { renderMarkdown } from './markdown.js';
export { renderTable } from './table.js';
export {
  assertRecordMatches,
  buildRecord,
  CI_RECORD_SCHEMA,
  readRecord,
  recordMismatches,
  writeRecord,
  type CiRecord,
  type CiRecordEntry,
} from './record.js';
export {
  CI_REPORT_SCHEMA,
  type CiCheck,
  type CiGenomeResult,
  type CiPlan,
  type CiReport,
  type CiSubject,
} from './report.js';
export { runCi, type CiOptions, type CiOutcome } from './run.js';
export { CI_SALT, ciSettings, type CiSettings } from './settings.js';
