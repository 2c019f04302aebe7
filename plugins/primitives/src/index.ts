import { definePlugin, PLUGIN_API_VERSION } from '@evopt/core';
import { adabelief } from './primitives/adabelief.js';
import { adam } from './primitives/adam.js';
import { addsign } from './primitives/addsign.js';
import { grad } from './primitives/grad.js';
import { lion } from './primitives/lion.js';
import { momentum } from './primitives/momentum.js';
import { nesterov } from './primitives/nesterov.js';
import { powersign } from './primitives/powersign.js';
import { rms } from './primitives/rms.js';
import { sign } from './primitives/sign.js';
import { signM } from './primitives/sign-m.js';
import { unit } from './primitives/unit.js';

export { adabelief, adam, addsign, grad, lion, momentum, nesterov, powersign, rms, sign, signM, unit };
export { NESTEROV_LOOKAHEAD } from './primitives/nesterov.js';
export { LION_BETA } from './primitives/lion.js';

/**
 * The built-in update terms: the paper's seven (grad, momentum, rms, adam, sign, unit, nesterov;
 * the `paper` preset searches only these, see `paper.PAPER_PRIMITIVE_IDS`), then the sign family
 * (sign-m, lion, powersign, addsign) and AdaBelief's direction, a term with its own state.
 */
export default definePlugin({
  name: '@evopt/plugin-primitives',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.1.0',
  primitives: [grad, momentum, rms, adam, sign, unit, nesterov, signM, lion, powersign, addsign, adabelief],
});
