import { defineSchedule, type ScheduleParam } from '@evopt/core';
import { param } from '../factors.js';

const STEP_SIZE: ScheduleParam = {
  min: 1,
  max: 5000,
  default: 100,
  integer: true,
  summary: 'Steps between two decays.',
};

const GAMMA: ScheduleParam = {
  min: 0.05,
  max: 1,
  default: 0.5,
  summary: 'Factor applied to η at each decay.',
};

/** Step decay: η = lr·γ^⌊t/stepSize⌋. */
export const stepDecay = defineSchedule({
  id: 'step',
  meta: {
    summary: 'Step decay: multiply η by γ every stepSize steps.',
    docs: "η = lr · γ^⌊t / stepSize⌋, like PyTorch's StepLR counted in optimizer steps.",
    params: { stepSize: STEP_SIZE, gamma: GAMMA },
    formula: '×{gamma} every {stepSize} steps',
  },
  multiplier: (step, _totalSteps, params) =>
    param(params, 'gamma', GAMMA) ** Math.floor(Math.max(0, step) / Math.max(1, param(params, 'stepSize', STEP_SIZE))),
});
