// @evopt/testing/kit: the building blocks of the conformance suites, for sibling kits that check
// the same contracts on another runtime (@evopt/testing-tfjs runs the primitive rules on
// TensorFlow.js tensors). Plugin authors use the main entry; this one may change between versions.
export { parseOptions } from './conformance/options.js';
export {
  registerAsyncRules,
  runRulesAsync,
  violation,
  type AsyncConformanceRule,
  type Labelled,
  type TestFn,
  type Violation,
} from './conformance/rule.js';
export { show } from './conformance/samples.js';
export { populationMembers, type Member } from './conformance/population.js';
export { initialState, stepTerm, type ScalarInputs } from './conformance/term-step.js';
