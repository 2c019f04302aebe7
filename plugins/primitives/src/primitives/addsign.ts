import { definePrimitive } from '@evopt/core';

/**
 * (1 + sign(g)·sign(m))·g: Bello et al. 2017's AddSign with α = 1 and no decay, the gradient
 * doubled where it agrees in sign with momentum and dropped where it disagrees.
 */
export const addsign = definePrimitive({
  id: 'addsign',
  meta: {
    summary: 'AddSign: T = (1 + sign(g)·sign(m))·g, 2g where g and m agree in sign, 0 where they disagree.',
    docs: [
      'Bello et al. 2017, "Neural Optimizer Search with Reinforcement Learning": (α + f(t)·sign(g)·sign(m))·g with α = 1 and f(t) = 1;',
      "the paper's decays of f(t) are not included. m is the genome's m (bias correction does not change its sign).",
      'Without m it is 2·g, a scaled grad rather than another primitive, so it declares no reduction.',
    ].join(' '),
  },
  create: () => ({
    formula: '(1+sign(g)·sign(m))·g',
    apply: ({ g, m }, ops) => ops.mul(ops.add(ops.mul(ops.sign(g), ops.sign(m)), 1), g),
  }),
});
