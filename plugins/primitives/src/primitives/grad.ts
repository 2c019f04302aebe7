import { definePrimitive } from '@evopt/core';

/** g: the raw gradient (after clipping), as in plain SGD. */
export const grad = definePrimitive({
  id: 'grad',
  meta: {
    summary: 'The gradient itself: T = g (plain SGD).',
    docs: 'The gradient after clipping; a genome made of this term alone is SGD with decoupled weight decay.',
  },
  create: () => ({
    formula: 'g',
    apply: ({ g }) => g,
  }),
});
