import { describe, expect, it } from 'vitest';
import {
  baselineGenome,
  canonicalize,
  createRegistries,
  numberOps,
  parseGenome,
  registerPlugin,
  type PrimitiveDefinition,
  type PrimitiveInputs,
} from '@evopt/core';
import plugin from './index.js';

const withDefaults = (definition: PrimitiveDefinition) => definition.create(definition.meta.options?.parse({}) ?? {});
const primitives = new Map((plugin.primitives ?? []).map((p) => [p.id, withDefaults(p)]));
const samples = [-2.5, -0.3, -1e-6, 0, 1e-7, 0.4, 3];

function inputs(g: number, m: number, v: number): PrimitiveInputs<number> {
  return { g, m, v, eps: 1e-8, beta1: 0.9, beta2: 0.999, step: 3, state: {} };
}

describe('reducesTo: what canonical forms rely on', () => {
  for (const definition of plugin.primitives ?? []) {
    const { withoutM, withoutV } = definition.meta.reducesTo ?? {};
    if (withoutM) {
      it(`${definition.id} with m = g equals ${withoutM}`, () => {
        for (const g of samples)
          for (const v of [0, 1e-4, 2]) {
            const a = primitives.get(definition.id)?.apply(inputs(g, g, v), numberOps) as number;
            const b = primitives.get(withoutM)?.apply(inputs(g, 0.123, v), numberOps) as number;
            expect(a).toBeCloseTo(b, 12);
          }
      });
    }
    if (withoutV) {
      it(`${definition.id} with v = g² equals ${withoutV}`, () => {
        for (const g of samples)
          for (const m of [0, -0.7, 1.5]) {
            const a = primitives.get(definition.id)?.apply(inputs(g, m, g * g), numberOps) as number;
            const b = primitives.get(withoutV)?.apply(inputs(g, m, 42), numberOps) as number;
            expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a)));
          }
      });
    }
  }

  it("declares the reductions of the paper's primitives", () => {
    const declared = Object.fromEntries((plugin.primitives ?? []).map((p) => [p.id, p.meta.reducesTo ?? {}]));
    expect(declared).toMatchObject({
      momentum: { withoutM: 'grad' },
      nesterov: { withoutM: 'grad' },
      adam: { withoutM: 'rms' },
      rms: { withoutV: 'unit' },
    });
  });

  it('declares the reductions of the sign family, and none for terms that become a scaled grad or something new', () => {
    const declared = Object.fromEntries((plugin.primitives ?? []).map((p) => [p.id, p.meta.reducesTo ?? {}]));
    expect(declared).toMatchObject({ 'sign-m': { withoutM: 'sign' }, lion: { withoutM: 'sign' } });
    // Without m, powersign is e·g and addsign 2·g (α would have to change), and adabelief is g/(√ŝ+ε).
    for (const id of ['powersign', 'addsign', 'adabelief']) expect(declared[id], id).toEqual({});
  });
});

describe('canonical forms with the sign family', () => {
  const registries = createRegistries();
  registerPlugin(registries, plugin);
  const genome = (useM: boolean, lionOptions?: Record<string, unknown>) =>
    parseGenome({
      ...baselineGenome('adam'),
      useM,
      terms: [
        { primitive: 'sign', alpha: 0.5 },
        { primitive: 'sign-m', alpha: 0.25 },
        { primitive: 'lion', alpha: 0.125, ...(lionOptions && { options: lionOptions }) },
      ],
    });

  it('merge sign-m and lion into sign when the genome has no m', () => {
    expect(canonicalize(genome(false), registries).terms).toEqual([{ primitive: 'sign', alpha: 0.875 }]);
  });

  it('keep them apart when the genome has m', () => {
    expect(canonicalize(genome(true), registries).terms.map((t) => t.primitive)).toEqual(['lion', 'sign', 'sign-m']);
  });

  it("drop lion's β when it is the default, and keep a β of its own", () => {
    expect(canonicalize(genome(true, { beta: 0.9 }), registries).terms.find((t) => t.primitive === 'lion')).toEqual({
      primitive: 'lion',
      alpha: 0.125,
    });
    expect(canonicalize(genome(true, { beta: 0.5 }), registries).terms.find((t) => t.primitive === 'lion')).toEqual({
      primitive: 'lion',
      alpha: 0.125,
      options: { beta: 0.5 },
    });
  });
});
