export { checkSchedule, testSchedule, type ScheduleSuiteOptions } from './schedule.js';
export { checkSelection, testSelection, type SelectionCheckOptions, type SelectionSuiteOptions } from './selection.js';
export { checkPrimitive, testPrimitive, type PrimitiveCheckOptions, type PrimitiveSuiteOptions } from './primitive.js';
export { conformanceError, type TestFn, type Violation } from './rule.js';
export { arrayOps, type Vector } from './array-ops.js';
export { CONFORMANCE_SEED } from './samples.js';
