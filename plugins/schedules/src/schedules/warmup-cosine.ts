import { defineSchedule } from '@evopt/core';
import { cosineFactor, param, warmupFactor, WARMUP_STEPS_PARAM } from '../factors.js';

/**
 * The paper's warmup together with cosine decay. As in the reference notebook, the cosine factor
 * is counted from step 0 and multiplies the warmup factor; it does not start after warmup:
 * η = lr·min(1, (t+1)/W)·0.5·(1 + cos(π·t/T)).
 */
export const warmupCosine = defineSchedule({
  id: 'warmup-cosine',
  meta: {
    summary: "Warmup times cosine decay, both from step 0 (the paper's semantics).",
    docs: [
      'η = lr · w(t) · 0.5·(1 + cos(π·t/T)), where w(t) = (t+1)/W while t < W and 1 after.',
      '',
      "This is the reference notebook's rule, under which the paper's evolved genome was found: the cosine",
      'is counted from step 0, not from the end of warmup.',
    ].join('\n'),
    params: { warmupSteps: WARMUP_STEPS_PARAM },
    formula: 'warmup {warmupSteps} × cosine',
  },
  multiplier: (step, totalSteps, params) =>
    warmupFactor(step, param(params, 'warmupSteps', WARMUP_STEPS_PARAM)) * cosineFactor(step, totalSteps),
});
