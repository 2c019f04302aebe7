import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { constant } from './schedules/constant.js';
import { cosine } from './schedules/cosine.js';
import { linear } from './schedules/linear.js';
import { stepDecay } from './schedules/step.js';
import { warmup } from './schedules/warmup.js';
import { warmupCosine } from './schedules/warmup-cosine.js';

export { constant, cosine, linear, stepDecay, warmup, warmupCosine };
export { cosineFactor, warmupFactor } from './factors.js';

/** evopt's learning-rate schedules: constant, warmup, cosine, warmup-cosine, step, linear. */
export default definePlugin({
  name: '@evopt/plugin-schedules',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  schedules: [constant, warmup, cosine, warmupCosine, stepDecay, linear],
});
