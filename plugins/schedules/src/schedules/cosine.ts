import { defineSchedule } from '@evopt/core';
import { cosineFactor } from '../factors.js';

/** Cosine decay over the whole run: η = lr·0.5·(1 + cos(π·t/T)) (the paper's cosine flag alone). */
export const cosine = defineSchedule({
  id: 'cosine',
  meta: {
    summary: 'Cosine decay over the run: η = lr·0.5·(1 + cos(π·t/T)).',
    docs: "The paper's cosine flag without warmup. T is the run's total number of steps; steps past T hold the final value.",
    params: {},
    formula: 'cosine',
  },
  multiplier: (step, totalSteps) => cosineFactor(step, totalSteps),
});
