import { defineSchedule } from '@evopt/core';
import { param, warmupFactor, WARMUP_STEPS_PARAM } from '../factors.js';

/** Linear warmup, then constant: η = lr·(t+1)/W while t < W, else lr (the paper's warmup flag alone). */
export const warmup = defineSchedule({
  id: 'warmup',
  meta: {
    summary: 'Linear warmup over W steps, then constant: η = lr·(t+1)/W while t < W.',
    docs: "The paper's warmup flag without cosine decay. The multiplier is `(t+1)/W` for `t < W` and `1` after.",
    params: { warmupSteps: WARMUP_STEPS_PARAM },
    formula: 'warmup {warmupSteps}',
  },
  multiplier: (step, _totalSteps, params) => warmupFactor(step, param(params, 'warmupSteps', WARMUP_STEPS_PARAM)),
});
