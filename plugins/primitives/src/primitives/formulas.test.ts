import { describe, expect, it } from 'vitest';
import { numberOps, type PrimitiveDefinition, type PrimitiveTerm } from '@evopt/core';
import { adabelief } from './adabelief.js';
import { adam } from './adam.js';
import { addsign } from './addsign.js';
import { grad } from './grad.js';
import { lion } from './lion.js';
import { momentum } from './momentum.js';
import { nesterov } from './nesterov.js';
import { powersign } from './powersign.js';
import { rms } from './rms.js';
import { sign } from './sign.js';
import { signM } from './sign-m.js';
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
  [
    grad,
    'g',
    [
      { g: 0.3, m: 9, v: 9, expected: 0.3 },
      { g: -2, expected: -2 },
    ],
  ],
  [momentum, 'm', [{ g: 9, m: -0.2, v: 9, expected: -0.2 }]],
  // 0.5 / (√0.04 + 1e-8) = 0.5 / 0.20000001
  [
    rms,
    'g/(√v+ε)',
    [
      { g: 0.5, v: 0.04, expected: 2.5 },
      { g: -3, v: 9, expected: -1 },
      { g: 0.2, v: 0, eps: 0.1, expected: 2 },
    ],
  ],
  [
    adam,
    'm/(√v+ε)',
    [
      { m: 0.5, v: 0.04, g: 9, expected: 2.5 },
      { m: -0.1, v: 0.01, expected: -1 },
      { m: 0.3, v: 0.25, eps: 0.1, expected: 0.5 },
    ],
  ],
  [
    sign,
    'sign(g)',
    [
      { g: -3, expected: -1 },
      { g: 0.001, expected: 1 },
      { g: 0, expected: 0 },
    ],
  ],
  // g/(|g|+ε): ±1 for |g| ≫ ε, and exactly ½ where |g| = ε.
  [
    unit,
    'g/(|g|+ε)',
    [
      { g: -2, expected: -1 },
      { g: 1e-8, expected: 0.5 },
      { g: -0.3, eps: 0.1, expected: -0.75 },
      { g: 0, expected: 0 },
    ],
  ],
  // m + 0.9·(g − m)
  [
    nesterov,
    'm+0.9·(g−m)',
    [
      { m: 1, g: 3, expected: 2.8 },
      { m: 0.5, g: -0.5, expected: -0.4 },
      { m: 2, g: 2, expected: 2 },
    ],
  ],
  [
    signM,
    'sign(m)',
    [
      { m: -0.2, g: 5, expected: -1 },
      { m: 1e-9, g: -5, expected: 1 },
      { m: 0, g: 5, expected: 0 },
    ],
  ],
  // sign(0.9·m + 0.1·g): 0.9·1 + 0.1·(−10) = −0.1; 0.9·(−1) + 0.1·10 = 0.1; 0.9·0 + 0.1·(−3) = −0.3.
  [
    lion,
    'sign(0.9·m+0.1·g)',
    [
      { m: 1, g: -10, expected: -1 },
      { m: -1, g: 10, expected: 1 },
      { m: 0, g: -3, expected: -1 },
      { m: 0.5, g: 2, expected: 1 },
    ],
  ],
  // exp(sign(g)·sign(m))·g: e·g where the signs agree, g/e where they differ, g where m is 0.
  [
    powersign,
    'exp(sign(g)·sign(m))·g',
    [
      { g: 2, m: 0.1, expected: 2 * Math.E },
      { g: -2, m: 0.1, expected: -2 / Math.E },
      { g: 0.5, m: 0, expected: 0.5 },
      { g: 0, m: 3, expected: 0 },
    ],
  ],
  // (1 + sign(g)·sign(m))·g: 2g where the signs agree, 0 where they differ, g where m is 0.
  [
    addsign,
    '(1+sign(g)·sign(m))·g',
    [
      { g: -1.5, m: -4, expected: -3 },
      { g: -1.5, m: 4, expected: 0 },
      { g: 0.7, m: 0, expected: 0.7 },
    ],
  ],
];

/** The term with its options' defaults, as a genome that names no options gets it. */
const withDefaults = (definition: PrimitiveDefinition): PrimitiveTerm =>
  definition.create(definition.meta.options?.parse({}) ?? {});

describe.each(table)('primitive "%s"', (definition, formula, cases) => {
  const term = withDefaults(definition);

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
    const output = adam
      .create({})
      .apply({ g: 0, m: 0.5, v: 0.04, eps: 1e-8, beta1: 0.9, beta2: 0.999, step: 0, state: {} }, numberOps);
    expect(output).toBe(0.5 / (0.2 + 1e-8));
    expect(Math.abs(output - 2.5)).toBeLessThan(2e-7);
  });
});

describe('lion with its own β', () => {
  it('shows the β it was given and its complement in the formula', () => {
    expect(lion.create({ beta: 0.95 }).formula).toBe('sign(0.95·m+0.05·g)');
    expect(lion.create({ beta: 0.5 }).formula).toBe('sign(0.5·m+0.5·g)');
  });

  it('weighs m against g by β: with β = 0.5 the larger of |m| and |g| decides', () => {
    // 0.5·1 + 0.5·(−3) = −1, whereas the default β = 0.9 gives 0.9 − 0.3 = 0.6.
    const inputs = { g: -3, m: 1, v: 1, eps: EPS, beta1: 0.9, beta2: 0.999, step: 0, state: {} };
    expect(lion.create({ beta: 0.5 }).apply(inputs, numberOps)).toBe(-1);
    expect(withDefaults(lion).apply(inputs, numberOps)).toBe(1);
  });

  it('rejects a β outside [0, 1]', () => {
    expect(lion.meta.options?.safeParse({ beta: 1.5 }).success).toBe(false);
    expect(lion.meta.options?.safeParse({ beta: -0.1 }).success).toBe(false);
  });
});

describe('adabelief, a term with its own state', () => {
  const term = adabelief.create({});
  const EPS_TINY = 1e-12;

  it('is shown as m/(√ŝ+ε) and declares the slots ema and s, both starting at 0', () => {
    expect(term.formula).toBe('m/(√ŝ+ε)');
    expect(term.state?.map((slot) => [slot.name, slot.init])).toEqual([
      ['ema', 0],
      ['s', 0],
    ]);
  });

  /** One step as the optimizer runs it: every slot from the previous state, then apply on the updated one. */
  function step(
    g: number,
    m: number,
    previous: Record<string, number>,
    stepIndex: number,
    beta1: number,
    beta2: number,
  ) {
    const base = { g, m, v: 1, eps: EPS_TINY, beta1, beta2, step: stepIndex };
    const state = Object.fromEntries(
      (term.state ?? []).map((slot) => [slot.name, slot.update({ ...base, state: previous }, numberOps)]),
    );
    return { state, output: term.apply({ ...base, state }, numberOps) };
  }

  it('takes two steps as worked out by hand (β1 = 0.5, β2 = 0.75)', () => {
    // Step 0, g = 2: ema = 0.5·0 + 0.5·2 = 1; s = 0.75·0 + 0.25·(2 − 1)² + ε = 0.25 + ε;
    // ŝ = s/(1 − 0.75) = 1 + 4ε, so T = m/(1 + …) = m.
    const first = step(2, 3, { ema: 0, s: 0 }, 0, 0.5, 0.75);
    expect(first.state['ema']).toBe(1);
    expect(first.state['s']).toBeCloseTo(0.25 + EPS_TINY, 15);
    expect(first.output).toBeCloseTo(3, 10);
    // Step 1, g = 4: ema = 0.5·1 + 0.5·4 = 2.5; s = 0.75·0.25 + 0.25·1.5² (+ 1.75ε) = 0.75;
    // ŝ = 0.75/(1 − 0.75²) = 12/7, so T = 2/√(12/7) = 2·√(7/12).
    const second = step(4, 2, first.state, 1, 0.5, 0.75);
    expect(second.state['ema']).toBe(2.5);
    expect(second.state['s']).toBeCloseTo(0.75 + 1.75 * EPS_TINY, 15);
    expect(second.output).toBeCloseTo(2 * Math.sqrt(7 / 12), 10);
  });

  it('does not blow up on the first step when m is bias-corrected (m̂ = g): the residual is taken against its own EMA', () => {
    // With the genome's bias correction, m̂ = g at step 0. g − m̂ = 0 would give s = 0 and T = g/ε;
    // against the uncorrected EMA (0.1·g) the residual is 0.9·g and T = g/(0.9·|g|) ≈ 1.11·sign(g).
    const { output } = step(0.3, 0.3, { ema: 0, s: 0 }, 0, 0.9, 0.999);
    expect(output).toBeCloseTo(1 / 0.9, 5);
  });

  it('keeps √ŝ at least √ε when the gradient is steady, as AdaBelief adds ε to s', () => {
    let state: Record<string, number> = { ema: 0, s: 0 };
    let output = 0;
    for (let t = 0; t < 400; t++) ({ state, output } = step(1, 1, state, t, 0.5, 0.9));
    // The residual vanishes, so s → ε/(1 − β2) and T → 1/(√(ε/(1 − β2)) + ε), far below 1/ε.
    expect(output / (1 / (Math.sqrt(EPS_TINY / 0.1) + EPS_TINY))).toBeCloseTo(1, 6);
    expect(output).toBeLessThan(1 / Math.sqrt(EPS_TINY));
  });
});
