import { definePrimitive } from '@evopt/core';

/** sign(m): the sign of momentum, as in signum (Bernstein et al. 2018). */
export const signM = definePrimitive({
  id: 'sign-m',
  meta: {
    summary: 'Momentum sign: T = sign(m) (signum); 0 where m is 0.',
    docs: 'm is EMA_β1(g), bias-corrected when the genome says so (which does not change its sign); without m it is sign(g).',
    // Without m (m = g) this term equals a simpler primitive; canonical forms use it.
    reducesTo: { withoutM: 'sign' },
  },
  create: () => ({
    formula: 'sign(m)',
    apply: ({ m }, ops) => ops.sign(m),
  }),
});
