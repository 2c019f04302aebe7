import { PLUGIN_API_VERSION, definePlugin } from '@evopt/core';
import { quadraticTask } from './quadratic.js';

/** @evopt/testing's plugin: deterministic test-double tasks. Load it as "@evopt/testing/plugin". */
export default definePlugin({
  name: '@evopt/testing',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  tasks: [quadraticTask],
});
