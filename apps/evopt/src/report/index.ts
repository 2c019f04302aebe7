export type { BestFile, CheckpointSummary, ReportData } from './data.js';
export { analyzeRun, termNotation, type RunAnalysis } from './analyze.js';
export { loadReportData } from './load.js';
export { renderReport } from './render.js';
