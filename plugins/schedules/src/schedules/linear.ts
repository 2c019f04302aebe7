import { defineSchedule, type ScheduleParam } from '@evopt/core';
import { param, progress } from '../factors.js';

const END_FACTOR: ScheduleParam = {
  min: 0,
  max: 1,
  default: 0,
  summary: 'Multiplier reached at the end of the run (0 decays to zero).',
};

/** Linear decay from lr to lr·endFactor over the run: η = lr·(1 + (endFactor − 1)·t/T). */
export const linear = defineSchedule({
  id: 'linear',
  meta: {
    summary: 'Linear decay from lr to lr·endFactor over the run.',
    docs: "η = lr · (1 + (endFactor − 1)·t/T), with T the run's total steps; steps past T hold lr·endFactor.",
    params: { endFactor: END_FACTOR },
    formula: 'linear → {endFactor}',
  },
  multiplier: (step, totalSteps, params) =>
    1 + (param(params, 'endFactor', END_FACTOR) - 1) * progress(step, totalSteps),
});
