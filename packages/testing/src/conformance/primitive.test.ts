import { describe, expect, it } from 'vitest';
import { definePrimitive, EvoptError, type PrimitiveDefinition, type PrimitiveTerm } from '@evopt/core';
import { checkPrimitive, testPrimitive } from './primitive.js';

/** Lion-like: sign of an EMA kept in its own state slot. A conforming stateful primitive. */
const lionish = definePrimitive({
  id: 'test/lionish',
  meta: { summary: 'sign(EMA(g)) with its own EMA.' },
  create: () => ({
    formula: 'sign(c)',
    state: [
      {
        name: 'c',
        init: 0,
        update: ({ g, state, beta1 }, ops) => ops.add(ops.mul(state['c'] ?? ops.fill(g, 0), beta1), ops.mul(g, 1)),
      },
    ],
    apply: ({ state, g }, ops) => ops.sign(state['c'] ?? g),
  }),
});

function term(overrides: Partial<PrimitiveTerm>): PrimitiveDefinition {
  return definePrimitive({
    id: 'test/broken',
    meta: { summary: 'A deliberately broken primitive.' },
    create: () => ({ formula: 'g', apply: ({ g }) => g, ...overrides }),
  });
}

const rulesOf = (def: PrimitiveDefinition) => [...new Set(checkPrimitive(def).map((v) => v.rule))];

describe('checkPrimitive', () => {
  it('finds nothing wrong with a conforming stateful primitive', () => {
    expect(checkPrimitive(lionish)).toEqual([]);
  });

  it('reports a division by √v without ε as finite-output', () => {
    const violations = checkPrimitive(term({ apply: ({ g, v }, ops) => ops.div(g, ops.sqrt(v)) }));
    expect(violations.map((v) => v.rule)).toEqual(['finite-output']);
    expect(violations[0]?.message).toMatch(/returned NaN for \{ g: 0/);
  });

  it('reports JS arithmetic on the inputs as elementwise', () => {
    expect(rulesOf(term({ apply: <T>({ g }: { g: T }) => ((g as unknown as number) * 2) as unknown as T }))).toEqual([
      'elementwise',
    ]);
  });

  it('reports a number literal returned instead of ops.fill as elementwise', () => {
    const violations = checkPrimitive(term({ apply: <T>() => 1 as unknown as T }));
    expect(violations.map((v) => v.rule)).toEqual(['elementwise']);
    expect(violations[0]?.fix).toMatch(/only with the ops passed in/);
  });

  it('reports ε used as if it were always a number as elementwise, and on populations', () => {
    const def = term({ apply: ({ g }, ops) => ops.mul(g, 1) });
    expect(rulesOf(def)).toEqual([]);
    const mixesUp = term({ apply: ({ g, eps }, ops) => ops.add(g, (eps as number) * 0) });
    expect(rulesOf(mixesUp)).toEqual(['elementwise', 'population']);
  });

  it('reports per-member constants flattened onto the parameter axis as population', () => {
    // Passes on vectors (ε shaped like g, or a number), breaks when ε is [P, 1] against g [P, N].
    const flat = <T>(x: T): T => (Array.isArray(x) ? (x.flat(Infinity) as T) : x);
    const violations = checkPrimitive(term({ apply: ({ g, eps }, ops) => ops.div(g, ops.add(ops.abs(g), flat(eps))) }));
    expect(violations.map((v) => v.rule)).toEqual(['population']);
    expect(violations[0]?.message).toMatch(
      /threw on a population \[3, 5\] with ε, β1, β2 as \[3, 1\] \(step 0\): RangeError: operands of shapes \[3, 5\] and \[3\] do not broadcast/,
    );
    expect(violations[0]?.fix).toMatch(/broadcast against \[P, N\]/);
  });

  it("reports a term that uses the first member's β1 for every member as population", () => {
    const first = (x: unknown): unknown => (Array.isArray(x) && Array.isArray(x[0]) ? first(x[0]) : x);
    const def = term({ apply: ({ g, beta1 }, ops) => ops.mul(g, first(beta1) as typeof g) });
    const violations = checkPrimitive(def);
    expect(violations.map((v) => v.rule)).toEqual(['population']);
    expect(violations[0]?.message).toMatch(/element 0 of member 1 on a population \[3, 5\].*computed alone/);
  });

  it('reports a state slot that takes the shape of ε instead of g as population', () => {
    const def = term({
      state: [
        {
          name: 's',
          init: 0,
          update: ({ g, eps }, ops) => (typeof eps === 'number' ? ops.fill(g, eps) : ops.mul(eps, 1)),
        },
      ],
      apply: ({ g, state }, ops) => ops.add(g, state['s'] ?? g),
    });
    const violations = checkPrimitive(def);
    expect(violations.map((v) => v.rule)).toEqual(['population']);
    expect(violations[0]?.message).toMatch(/update of state slot "s" a value that is shaped \[3, 1\]/);
  });

  it('reports a formula that does not survive rendering in a genome', () => {
    let created = 0;
    const def = definePrimitive({
      id: 'test/drifting',
      meta: { summary: 'A formula that changes.' },
      create: () => ({ formula: `g^${++created}`, apply: ({ g }) => g }),
    });
    const violations = checkPrimitive(def);
    expect(violations.map((v) => v.rule)).toEqual(['formula']);
    expect(violations[0]?.message).toMatch(/renders as "0\.50·g\^\d+ − 1\.25·g\^\d+"/);
  });

  it('reports an empty formula', () => {
    expect(rulesOf(term({ formula: '' }))).toEqual(['formula']);
  });

  it('reports state hidden in the term as not deterministic', () => {
    let calls = 0;
    expect(rulesOf(term({ apply: ({ g }, ops) => ops.mul(g, ++calls) }))).toContain('deterministic');
  });

  it('reports badly declared state slots and slots that blow up', () => {
    const update: PrimitiveTerm['apply'] = ({ g }) => g;
    expect(rulesOf(term({ state: [{ name: 's', init: Number.NaN, update }] }))).toContain('state-slots');
    expect(
      rulesOf(
        term({
          state: [
            { name: 's', init: 0, update },
            { name: 's', init: 0, update },
          ],
        }),
      ),
    ).toEqual(['state-slots']);
    const explodes = term({
      state: [{ name: 's', init: 1, update: ({ g, state }, ops) => ops.mul(state['s'] ?? g, 1e12) }],
    });
    expect(rulesOf(explodes)).toEqual(['state-slots']);
  });
});

describe('testPrimitive', () => {
  it('throws an error naming the broken rule and its fix', () => {
    const registered: [string, () => unknown][] = [];
    testPrimitive(term({ formula: ' ' }), { test: (name, fn) => registered.push([name, fn]) });
    expect(registered.map(([name]) => name.split(' › ')[1]?.split(':')[0])).toEqual([
      'valid-id',
      'meta-summary',
      'options-defaults',
      'formula',
      'finite-output',
      'deterministic',
      'state-slots',
      'elementwise',
      'population',
    ]);
    const fn = registered.find(([n]) => n.includes('› formula:'))?.[1];
    expect(fn).toThrow(EvoptError);
    expect(fn).toThrow(/primitive "test\/broken" breaks the conformance rule "formula"[\s\S]*fix: Return \{ formula/);
  });
});

describe('testPrimitive with vitest', () => {
  testPrimitive(lionish, { test: it });
});
