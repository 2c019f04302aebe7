import { numberOps, type ElementwiseOps } from '@evopt/core';

const f = Math.fround;

/**
 * {@link ElementwiseOps} over numbers that round every operand and result to float32, as a
 * float32 tensor op does: the plain-number reference a tensor result is compared against. For
 * +, −, ×, ÷ and √ (correctly rounded in both) it matches a float32 backend exactly; exp may
 * differ by an ulp, hence the tolerance of the values check.
 */
export const float32Ops: ElementwiseOps<number> = {
  add: (a, b) => f(numberOps.add(f(a), f(b))),
  sub: (a, b) => f(numberOps.sub(f(a), f(b))),
  mul: (a, b) => f(numberOps.mul(f(a), f(b))),
  div: (a, b) => f(numberOps.div(f(a), f(b))),
  neg: (a) => f(numberOps.neg(f(a))),
  abs: (a) => f(numberOps.abs(f(a))),
  sign: (a) => f(numberOps.sign(f(a))),
  sqrt: (a) => f(numberOps.sqrt(f(a))),
  square: (a) => f(numberOps.square(f(a))),
  exp: (a) => f(numberOps.exp(f(a))),
  maximum: (a, b) => f(numberOps.maximum(f(a), f(b))),
  minimum: (a, b) => f(numberOps.minimum(f(a), f(b))),
  fill: (_like, value) => f(value),
};
