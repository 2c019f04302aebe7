import { definePrimitive } from '@evopt/core';

/** g/(|g|+ε): each element of the gradient normalised to magnitude just under 1. */
export const unit = definePrimitive({
  id: 'unit',
  meta: {
    summary: 'Unit-normalised gradient: T = g/(|g|+ε), elementwise.',
    docs: 'A smooth sign(g): close to ±1 where |g| ≫ ε, close to g/ε near 0. The absolute value is elementwise, not a norm.',
  },
  create: () => ({
    formula: 'g/(|g|+ε)',
    apply: ({ g, eps }, ops) => ops.div(g, ops.add(ops.abs(g), eps)),
  }),
});
