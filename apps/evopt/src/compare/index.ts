export {
  analyzeComparison,
  estimateOf,
  fitnessPerSeed,
  REFERENCE_LABEL,
  TEST_ACCURACY,
  type ComparedSubject,
  type ComparisonPlan,
} from './analysis.js';
export { renderChart } from './chart.js';
export { renderMarkdown } from './markdown.js';
export { renderTable, TABLE_WIDTH } from './table.js';
export {
  assembleSubjects,
  COMPARE_SALT,
  compareFingerprint,
  DEFAULT_COMPARE_BASELINES,
  DEFAULT_COMPARE_SEEDS,
  parseBaselines,
  type CompareFingerprint,
} from './plan.js';
export { trialProgress, PROGRESS_INTERVAL_MS } from './progress.js';
export { runCompare, type CompareFiles, type CompareOptions, type CompareOutcome } from './run-compare.js';
export { selectLearningRates, TUNE_MULTIPLIERS, TUNE_SALT, tuningVariants, type TuningVariant } from './tuning.js';
export * from './report.js';
