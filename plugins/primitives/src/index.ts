import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { adam } from './primitives/adam.js';
import { grad } from './primitives/grad.js';
import { momentum } from './primitives/momentum.js';
import { nesterov } from './primitives/nesterov.js';
import { rms } from './primitives/rms.js';
import { sign } from './primitives/sign.js';
import { unit } from './primitives/unit.js';

export { adam, grad, momentum, nesterov, rms, sign, unit };
export { NESTEROV_LOOKAHEAD } from './primitives/nesterov.js';

/** The paper's seven update terms: grad, momentum, rms, adam, sign, unit, nesterov. */
export default definePlugin({
  name: '@evopt/plugin-primitives',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  primitives: [grad, momentum, rms, adam, sign, unit, nesterov],
});
