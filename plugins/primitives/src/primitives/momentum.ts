import { definePrimitive } from '@evopt/core';

/** m: the first moment EMA_β1(g), as in SGD with momentum. */
export const momentum = definePrimitive({
  id: 'momentum',
  meta: {
    summary: 'Momentum: T = m, the EMA of the gradient (SGD with momentum).',
    docs: 'm = EMA_β1(g), bias-corrected when the genome says so; when the genome has no m, m is g.',
    // Without m (m = g) or v (v = g²) this term equals a simpler primitive; canonical forms use it.
    reducesTo: { withoutM: 'grad' },
  },
  create: () => ({
    formula: 'm',
    apply: ({ m }) => m,
  }),
});
