import { describe, expect, it } from 'vitest';
import { defineSchedule, EvoptError, type ScheduleDefinition } from '@evopt/core';
import { checkSchedule, testSchedule } from './schedule.js';

const halfLife = defineSchedule({
  id: 'half-life',
  meta: {
    summary: 'Halves η every halfLifeSteps steps.',
    params: { halfLifeSteps: { min: 1, max: 1000, default: 100, integer: true } },
    formula: 'half-life {halfLifeSteps}',
  },
  multiplier: (step, _total, params) => 0.5 ** (step / (params['halfLifeSteps'] ?? 100)),
});

function broken(
  overrides: Omit<Partial<ScheduleDefinition>, 'meta'> & { meta?: Partial<ScheduleDefinition['meta']> },
): ScheduleDefinition {
  return { ...halfLife, ...overrides, meta: { ...halfLife.meta, ...overrides.meta } };
}

const rulesOf = (def: ScheduleDefinition) => [...new Set(checkSchedule(def).map((v) => v.rule))];

describe('checkSchedule', () => {
  it('finds nothing wrong with a conforming schedule', () => {
    expect(checkSchedule(halfLife)).toEqual([]);
  });

  it('reports a negative multiplier as finite-nonnegative', () => {
    expect(rulesOf(broken({ multiplier: (step, total) => 1 - (2 * step) / total }))).toEqual(['finite-nonnegative']);
  });

  it('reports a division by zero that only shows on a one-step run', () => {
    const violations = checkSchedule(broken({ multiplier: (step, total) => 1 - step / (total - 1) }));
    expect(violations.map((v) => v.rule)).toEqual(['finite-nonnegative']);
    expect(violations[0]?.message).toContain('multiplier(0, 1,');
  });

  it('reports a multiplier that overflows only on a long run', () => {
    const violations = checkSchedule(broken({ multiplier: (step) => 2 ** (step / 500) }));
    expect(violations.map((v) => v.rule)).toEqual(['finite-nonnegative']);
    expect(violations[0]?.message).toMatch(/returned Infinity for multiplier\(\d+, 1000000,/);
  });

  it('reports a param at its bound that breaks the multiplier', () => {
    const def = broken({ multiplier: (step, _t, p) => 1 / ((p['halfLifeSteps'] ?? 100) - 1) ** step });
    expect(rulesOf(def)).toEqual(['finite-nonnegative']);
  });

  it('reports a schedule that keeps state between calls as impure', () => {
    let calls = 0;
    expect(rulesOf(broken({ multiplier: () => 1 / (1 + (calls++ % 7)) }))).toEqual(['pure']);
  });

  it('reports a schedule that writes to its params as impure', () => {
    const def = broken({ multiplier: (_s, _t, params) => ((params as Record<string, number>)['seen'] = 1) });
    const violations = checkSchedule(def);
    expect(violations.map((v) => v.rule)).toEqual(['pure']);
    expect(violations[0]?.message).toMatch(/threw/);
  });

  it('reports a default outside its bounds as param-bounds', () => {
    expect(
      rulesOf(broken({ meta: { params: { halfLifeSteps: { min: 1, max: 10, default: 100, integer: true } } } })),
    ).toEqual(['param-bounds']);
  });

  it('reports missing params as param-bounds', () => {
    expect(rulesOf(broken({ meta: { params: undefined as never } }))).toContain('param-bounds');
  });

  it('reports a step count not declared integer, and an integer param with a fractional default', () => {
    expect(rulesOf(broken({ meta: { params: { halfLifeSteps: { min: 1, max: 1000, default: 100 } } } }))).toEqual([
      'integer-params',
    ]);
    expect(
      rulesOf(broken({ meta: { params: { halfLifeSteps: { min: 1, max: 1000, default: 99.5, integer: true } } } })),
    ).toEqual(['integer-params']);
  });

  it('reports a formula naming an undeclared param', () => {
    expect(rulesOf(broken({ meta: { formula: 'half-life {halfLife}' } }))).toEqual(['formula-placeholders']);
  });

  it('reports an empty summary and a malformed id', () => {
    expect(rulesOf(broken({ meta: { summary: ' ' } }))).toEqual(['meta-summary']);
    expect(rulesOf(broken({ id: 'Half_Life' }))).toEqual(['valid-id']);
  });
});

describe('testSchedule', () => {
  it('registers one test per rule, and a failing test throws an error naming the rule and the fix', async () => {
    const registered = new Map<string, () => void | Promise<void>>();
    testSchedule(broken({ multiplier: () => -1 }), { test: (name, fn) => registered.set(name, fn) });
    const names = [...registered.keys()];
    expect(names).toHaveLength(7);
    const failing = names.filter((name) => name.includes('› finite-nonnegative:'));
    expect(failing).toHaveLength(1);
    const error = await Promise.resolve()
      .then(() => registered.get(failing[0] as string)?.())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvoptError);
    expect((error as EvoptError).message).toMatch(
      /schedule "half-life" breaks the conformance rule "finite-nonnegative"/,
    );
    expect((error as EvoptError).message).toMatch(/fix: Keep the multiplier a finite number/);
    for (const name of names.filter((n) => !failing.includes(n))) await registered.get(name)?.();
  });

  it('refuses to run without a test function, saying what to pass', () => {
    expect(() => testSchedule(halfLife, {} as never)).toThrow(/testSchedule\(def, \{ test: it \}\)/);
  });
});

describe('testSchedule with vitest', () => {
  testSchedule(halfLife, { test: it });
});
