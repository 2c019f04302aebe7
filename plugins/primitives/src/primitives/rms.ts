import { definePrimitive } from '@evopt/core';

/** g/(√v+ε): the gradient scaled by its RMS, as in RMSProp. */
export const rms = definePrimitive({
  id: 'rms',
  meta: {
    summary: 'RMS-scaled gradient: T = g/(√v+ε) (RMSProp).',
    docs: 'v = EMA_β2(g²), bias-corrected when the genome says so; when the genome has no v, v is g² and the term is g/(|g|+ε).',
    // Without m (m = g) or v (v = g²) this term equals a simpler primitive; canonical forms use it.
    reducesTo: { withoutV: 'unit' },
  },
  create: () => ({
    formula: 'g/(√v+ε)',
    apply: ({ g, v, eps }, ops) => ops.div(g, ops.add(ops.sqrt(v), eps)),
  }),
});
