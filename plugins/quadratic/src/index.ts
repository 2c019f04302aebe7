import { PLUGIN_API_VERSION, definePlugin } from '@evopt/core';
import { quadraticTask } from './quadratic.js';

export * from './quadratic-problem.js';
export * from './quadratic.js';

/**
 * The test-double task `testing/quadratic`: the smoke preset's task, and the one evopt's own tests
 * and benchmarks use where a real training run would only add time. It has no test-only
 * dependencies, so the evopt app can load it as a plain plugin.
 */
export default definePlugin({
  name: '@evopt/plugin-quadratic',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  tasks: [quadraticTask],
});
