import { describe, expect, it } from 'vitest';
import { numberOps, type PrimitiveDefinition } from '@evopt/core';
import { adam } from './adam.js';
import { grad } from './grad.js';
import { momentum } from './momentum.js';
import { nesterov } from './nesterov.js';
import { rms } from './rms.js';
import { sign } from './sign.js';
import { unit } from './unit.js';

interface Case {
  readonly g?: number;
  readonly m?: number;
  readonly v?: number;
  readonly eps?: number;
  /** Worked out by hand from the paper's table. */
  readonly expected: number;
}

const EPS = 1e-8;

const table: readonly [PrimitiveDefinition, string, readonly Case[]][] = [
  [grad, 'g', [{ g: 0.3, m: 9, v: 9, expected: 0.3 }, { g: -2, expected: -2 }]],
  [momentum, 'm', [{ g: 9, m: -0.2, v: 9, expected: -0.2 }]],
  // 0.5 / (√0.04 + 1e-8) = 0.5 / 0.20000001
  [rms, 'g/(√v+ε)', [{ g: 0.5, v: 0.04, expected: 2.5 }, { g: -3, v: 9, expected: -1 }, { g: 0.2, v: 0, eps: 0.1, expected: 2 }]],
  [adam, 'm/(√v+ε)', [{ m: 0.5, v: 0.04, g: 9, expected: 2.5 }, { m: -0.1, v: 0.01, expected: -1 }, { m: 0.3, v: 0.25, eps: 0.1, expected: 0.5 }]],
  [sign, 'sign(g)', [{ g: -3, expected: -1 }, { g: 0.001, expected: 1 }, { g: 0, expected: 0 }]],
  // g/(|g|+ε): ±1 for |g| ≫ ε, and exactly ½ where |g| = ε.
  [unit, 'g/(|g|+ε)', [{ g: -2, expected: -1 }, { g: 1e-8, expected: 0.5 }, { g: -0.3, eps: 0.1, expected: -0.75 }, { g: 0, expected: 0 }]],
  // m + 0.9·(g − m)
  [nesterov, 'm+0.9·(g−m)', [{ m: 1, g: 3, expected: 2.8 }, { m: 0.5, g: -0.5, expected: -0.4 }, { m: 2, g: 2, expected: 2 }]],
];

describe.each(table)('primitive "%s"', (definition, formula, cases) => {
  const term = definition.create({});

  it(`is shown as ${formula}`, () => {
    expect(term.formula).toBe(formula);
  });

  it.each(cases)('gives $expected for g=$g, m=$m, v=$v', ({ g = 1, m = 1, v = 1, eps = EPS, expected }) => {
    const output = term.apply({ g, m, v, eps, beta1: 0.9, beta2: 0.999, step: 0, state: {} }, numberOps);
    expect(output).toBeCloseTo(expected, 6);
  });
});

describe('adam with the values from the brief', () => {
  it('gives 2.5 for m=0.5, v=0.04, ε=1e-8, to within the ε it adds', () => {
    const output = adam.create({}).apply({ g: 0, m: 0.5, v: 0.04, eps: 1e-8, beta1: 0.9, beta2: 0.999, step: 0, state: {} }, numberOps);
    expect(output).toBe(0.5 / (0.2 + 1e-8));
    expect(Math.abs(output - 2.5)).toBeLessThan(2e-7);
  });
});
