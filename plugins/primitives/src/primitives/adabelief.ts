import { definePrimitive, type ElementwiseOps, type PrimitiveInputs } from '@evopt/core';
import { oneMinus, power, slotValue } from '../constants.js';

/** This step's uncorrected EMA_β1(g), from the previous one in the `ema` slot. */
function emaOf<T>({ g, beta1, state }: PrimitiveInputs<T>, ops: ElementwiseOps<T>): T {
  return ops.add(ops.mul(slotValue(state, 'ema'), beta1), ops.mul(g, oneMinus(beta1, ops)));
}

/**
 * m/(√ŝ+ε) with s = EMA_β2((g − EMA_β1(g))²) + ε and ŝ = s/(1 − β2^(t+1)): AdaBelief's direction
 * (Zhuang et al. 2020, "AdaBelief Optimizer: Adapting Stepsizes by the Belief in Observed
 * Gradients", Algorithm 2), with the genome's m on top.
 *
 * Bias correction, and why the term keeps its own EMA of g: its inputs carry m after the genome's
 * bias correction, and with correction on, m̂ = g at step 0, so g − m̂ would be exactly 0, s would
 * be 0 and T = m/ε would blow up on the first step. AdaBelief takes the residual against the
 * uncorrected EMA, so the term keeps that EMA in the slot `ema` (equal to the genome's m before
 * correction when the genome has m and the same β1). It cannot see the genome's flag either, so
 * it always corrects s, as AdaBelief does. The ε added to s each step is AdaBelief's too: it keeps
 * √ŝ away from 0 when the gradient is steady. A genome of this term alone with useM and bias
 * correction is AdaBelief exactly.
 */
export const adabelief = definePrimitive({
  id: 'adabelief',
  meta: {
    summary: 'AdaBelief direction: T = m/(√ŝ+ε), ŝ the bias-corrected EMA_β2 of (g − EMA_β1(g))², plus ε each step.',
    docs: [
      'State slots: `ema`, the uncorrected EMA_β1(g), and `s` = β2·s + (1−β2)·(g − ema)² + ε (both start at 0).',
      "ŝ = s/(1 − β2^(t+1)) always, whatever the genome's bias-correction flag, which applies to the m on top.",
      "The residual uses the term's own uncorrected EMA because g − m̂ is exactly 0 at step 0 when m is bias-corrected.",
      'With useM and bias correction a genome of this term alone is AdaBelief (Zhuang et al. 2020).',
      'Without m the numerator is g: g/(√ŝ+ε), which no other primitive computes, so it declares no reduction.',
    ].join(' '),
  },
  create: () => ({
    formula: 'm/(√ŝ+ε)',
    state: [
      { name: 'ema', init: 0, update: (inputs, ops) => emaOf(inputs, ops) },
      {
        name: 's',
        init: 0,
        // Slots update from the previous state, so this step's EMA is recomputed here, not read from `ema`.
        update: (inputs, ops) => {
          const { g, beta2, eps, state } = inputs;
          const residual = ops.sub(g, emaOf(inputs, ops));
          return ops.add(
            ops.add(ops.mul(slotValue(state, 's'), beta2), ops.mul(ops.square(residual), oneMinus(beta2, ops))),
            eps,
          );
        },
      },
    ],
    apply: ({ m, eps, beta2, step, state }, ops) => {
      const corrected = ops.div(slotValue(state, 's'), oneMinus(power(beta2, step + 1, ops), ops));
      return ops.div(m, ops.add(ops.sqrt(corrected), eps));
    },
  }),
});
