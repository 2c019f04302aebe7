import { definePrimitive } from '@evopt/core';

/** m/(√v+ε): momentum scaled by the gradient's RMS, as in Adam. */
export const adam = definePrimitive({
  id: 'adam',
  meta: {
    summary: 'Adam direction: T = m/(√v+ε).',
    docs: "With bias correction on, this is Adam's update direction; with a weight decay, AdamW's.",
    // Without m (m = g) or v (v = g²) this term equals a simpler primitive; canonical forms use it.
    reducesTo: { withoutM: 'rms' },
  },
  create: () => ({
    formula: 'm/(√v+ε)',
    apply: ({ m, v, eps }, ops) => ops.div(m, ops.add(ops.sqrt(v), eps)),
  }),
});
