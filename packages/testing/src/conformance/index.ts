export { checkSchedule, testSchedule, type ScheduleSuiteOptions } from './schedule.js';
export { checkSelection, testSelection, type SelectionCheckOptions, type SelectionSuiteOptions } from './selection.js';
export { checkPrimitive, testPrimitive, type PrimitiveCheckOptions, type PrimitiveSuiteOptions } from './primitive.js';
export {
  checkTask,
  testTask,
  DEFAULT_TASK_STEPS,
  DEFAULT_EXECUTION_METRICS,
  DIVERGING_LR,
  type TaskCheckOptions,
  type TaskSuiteOptions,
} from './task/task.js';
export { detectedTfjsTensors, type TensorCounter } from './task/tensors.js';
export { conformanceError, type TestFn, type Violation } from './rule.js';
export { arrayOps, type Vector } from './array-ops.js';
export { broadcastShapes, flatten, nest, nestedOps, type Flat, type NestedArray } from './nested-ops.js';
export { CONFORMANCE_SEED } from './samples.js';
