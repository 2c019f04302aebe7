// @evopt/testing-tfjs: the conformance checks that need TensorFlow.js. A package apart from
// @evopt/testing, so that plugins without tensors test without loading TensorFlow.js, and so that
// the graph stays acyclic: this kit depends on @evopt/tfjs, whose own tests use plugins that test
// themselves with @evopt/testing.
export {
  checkPrimitiveTensors,
  testPrimitiveTensors,
  TENSOR_ATOL,
  TENSOR_RTOL,
  type PrimitiveTensorCheckOptions,
  type PrimitiveTensorSuiteOptions,
} from './tfjs/primitive-tensors.js';
export { TENSOR_CASES, type TensorCase } from './tfjs/tensor-run.js';
export { float32Ops } from './tfjs/float32-ops.js';
export { startBackend, tfjsTensors } from './tfjs/runtime.js';
