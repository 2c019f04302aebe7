import { defineSchedule } from '@evopt/core';

/** η = lr at every step. */
export const constant = defineSchedule({
  id: 'constant',
  meta: {
    summary: 'Constant learning rate: η = lr at every step.',
    params: {},
    formula: 'constant',
  },
  multiplier: () => 1,
});
