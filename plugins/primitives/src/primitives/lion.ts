import { z } from 'zod';
import { definePrimitive } from '@evopt/core';

/**
 * Lion's interpolation weight β1 (Chen et al. 2023, "Symbolic Discovery of Optimization
 * Algorithms", arXiv 2302.06675): its update is sign(β1·m + (1 − β1)·g) with β1 = 0.9.
 */
export const LION_BETA = 0.9;

const options = z.strictObject({
  beta: z
    .number()
    .min(0)
    .max(1)
    .default(LION_BETA)
    .describe('Weight β of m against g inside the sign (Lion uses 0.9).'),
});

/** A weight as the formula shows it: 0.9, 0.1, 0.05 (not 0.09999999999999998). */
const shown = (x: number): string => String(Number(x.toPrecision(6)));

/** sign(β·m + (1−β)·g): the sign of momentum interpolated towards the current gradient, as in Lion. */
export const lion = definePrimitive({
  id: 'lion',
  meta: {
    summary: "Lion's interpolated sign: T = sign(β·m + (1−β)·g), with its own β (option beta, default 0.9).",
    docs: [
      "m is the genome's m (EMA_β1(g), already updated with this step's g and bias-corrected if the genome says), so this is Lion's",
      "interpolation with the genome's momentum. Lion itself interpolates with the previous step's m and keeps m with a second β;",
      'a genome of this term alone is Lion exactly only when its m is that EMA. Without m (m = g) the term is sign(g).',
    ].join(' '),
    options,
    // Without m (m = g) the interpolation is g itself, whatever β: the term is sign(g).
    reducesTo: { withoutM: 'sign' },
  },
  create: ({ beta }) => ({
    formula: `sign(${shown(beta)}·m+${shown(1 - beta)}·g)`,
    apply: ({ g, m }, ops) => ops.sign(ops.add(ops.mul(m, beta), ops.mul(g, 1 - beta))),
  }),
});
