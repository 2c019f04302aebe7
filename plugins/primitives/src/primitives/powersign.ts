import { definePrimitive } from '@evopt/core';

/**
 * exp(sign(g)·sign(m))·g: Bello et al. 2017's PowerSign with base e and no decay, the gradient
 * scaled by e where it agrees in sign with momentum and by 1/e where it disagrees.
 */
export const powersign = definePrimitive({
  id: 'powersign',
  meta: {
    summary:
      'PowerSign: T = exp(sign(g)·sign(m))·g, g scaled by e where g and m agree in sign, by 1/e where they disagree.',
    docs: [
      'Bello et al. 2017, "Neural Optimizer Search with Reinforcement Learning": α^(f(t)·sign(g)·sign(m))·g with α = e and f(t) = 1;',
      "the paper's decays of f(t) are not included. m is the genome's m (bias correction does not change its sign).",
      'Without m it is e·g (0 where g is 0), a scaled grad rather than another primitive, so it declares no reduction.',
    ].join(' '),
  },
  create: () => ({
    formula: 'exp(sign(g)·sign(m))·g',
    apply: ({ g, m }, ops) => ops.mul(ops.exp(ops.mul(ops.sign(g), ops.sign(m))), g),
  }),
});
