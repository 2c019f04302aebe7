import { definePrimitive } from '@evopt/core';

/** sign(g): the gradient's sign, as in signSGD. */
export const sign = definePrimitive({
  id: 'sign',
  meta: {
    summary: 'Gradient sign: T = sign(g) (signSGD); 0 where g is 0.',
  },
  create: () => ({
    formula: 'sign(g)',
    apply: ({ g }, ops) => ops.sign(g),
  }),
});
