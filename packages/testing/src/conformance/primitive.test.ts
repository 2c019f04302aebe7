import { describe, expect, it } from 'vitest';
import { definePrimitive, EvoptError, type PrimitiveDefinition, type PrimitiveTerm } from '@evopt/core';
import { checkPrimitive, testPrimitive } from './primitive.js';

/** Lion-like: sign of an EMA kept in its own state slot. A conforming stateful primitive. */
const lionish = definePrimitive({
  id: 'test/lionish',
  meta: { summary: 'sign(EMA(g)) with its own EMA.' },
  create: () => ({
    formula: 'sign(c)',
    state: [{ name: 'c', init: 0, update: ({ g, state, beta1 }, ops) => ops.add(ops.mul(state['c'] ?? ops.fill(g, 0), beta1), ops.mul(g, 1)) }],
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
    expect(rulesOf(term({ apply: <T>({ g }: { g: T }) => ((g as unknown as number) * 2) as unknown as T }))).toEqual(['elementwise']);
  });

  it('reports a number literal returned instead of ops.fill as elementwise', () => {
    const violations = checkPrimitive(term({ apply: <T>() => 1 as unknown as T }));
    expect(violations.map((v) => v.rule)).toEqual(['elementwise']);
    expect(violations[0]?.fix).toMatch(/only with the ops passed in/);
  });

  it('reports ε used as if it were always a number as elementwise', () => {
    const def = term({ apply: ({ g }, ops) => ops.mul(g, 1) });
    expect(rulesOf(def)).toEqual([]);
    const mixesUp = term({ apply: ({ g, eps }, ops) => ops.add(g, (eps as number) * 0) });
    expect(rulesOf(mixesUp)).toEqual(['elementwise']);
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
    expect(rulesOf(term({ state: [{ name: 's', init: 0, update }, { name: 's', init: 0, update }] }))).toEqual(['state-slots']);
    const explodes = term({ state: [{ name: 's', init: 1, update: ({ g, state }, ops) => ops.mul(state['s'] ?? g, 1e12) }] });
    expect(rulesOf(explodes)).toEqual(['state-slots']);
  });
});

describe('testPrimitive', () => {
  it('throws an error naming the broken rule and its fix', () => {
    const registered: [string, () => unknown][] = [];
    testPrimitive(term({ formula: ' ' }), { test: (name, fn) => registered.push([name, fn]) });
    expect(registered.map(([name]) => name.split(' › ')[1]?.split(':')[0])).toEqual([
      'valid-id', 'meta-summary', 'options-defaults', 'formula', 'finite-output', 'deterministic', 'state-slots', 'elementwise',
    ]);
    const fn = registered.find(([n]) => n.includes('› formula:'))?.[1];
    expect(fn).toThrow(EvoptError);
    expect(fn).toThrow(/primitive "test\/broken" breaks the conformance rule "formula"[\s\S]*fix: Return \{ formula/);
  });
});

describe('testPrimitive with vitest', () => {
  testPrimitive(lionish, { test: it });
});
