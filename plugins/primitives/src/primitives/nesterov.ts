import { definePrimitive, paper } from '@evopt/core';

/**
 * The look-ahead weight of the paper's Nesterov term. It is fixed at 0.9 in the reference
 * notebook (arXiv 2512.11853), not tied to β1.
 */
export const NESTEROV_LOOKAHEAD = paper.NESTEROV_LOOKAHEAD;

/** m + 0.9·(g − m): momentum moved towards the current gradient, Nesterov-style. */
export const nesterov = definePrimitive({
  id: 'nesterov',
  meta: {
    summary: 'Nesterov-style look-ahead: T = m + 0.9·(g − m).',
    docs: "The paper's Nesterov term: momentum moved 90% of the way to the current gradient. The 0.9 is fixed, not β1.",
    // Without m (m = g) or v (v = g²) this term equals a simpler primitive; canonical forms use it.
    reducesTo: { withoutM: 'grad' },
  },
  create: () => ({
    formula: `m+${NESTEROV_LOOKAHEAD}·(g−m)`,
    apply: ({ g, m }, ops) => ops.add(m, ops.mul(ops.sub(g, m), NESTEROV_LOOKAHEAD)),
  }),
});
