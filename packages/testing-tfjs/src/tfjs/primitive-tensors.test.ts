import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { definePrimitive, EvoptError, isEvoptError, type PrimitiveDefinition, type PrimitiveTerm } from '@evopt/core';
import { adam, grad, momentum } from '@evopt/plugin-primitives';
import { checkPrimitive } from '@evopt/testing';
import { checkPrimitiveTensors, startBackend, testPrimitiveTensors } from '../index.js';

beforeAll(async () => {
  await startBackend('cpu');
});

/** Lion-like: the sign of an EMA kept in a state slot, with 1 − β1 written with the ops. */
const lionish = definePrimitive({
  id: 'test/lionish',
  meta: { summary: 'sign(EMA(g)) with its own EMA.' },
  create: () => ({
    formula: 'sign(c)',
    state: [
      {
        name: 'c',
        init: 0,
        update: ({ g, state, beta1 }, ops) => ops.add(ops.mul(state['c'] ?? g, beta1), ops.sub(g, ops.mul(g, beta1))),
      },
    ],
    apply: ({ state, g }, ops) => ops.sign(state['c'] ?? g),
  }),
});

/** AdaBelief-like: s = EMA((g − m)²), m/(√s + ε); exercises sqrt, square and division per member. */
const belief = definePrimitive({
  id: 'test/belief',
  meta: { summary: 'm/(√EMA((g−m)²)+ε).' },
  create: () => ({
    formula: 'm/(√s+ε)',
    state: [
      {
        name: 's',
        init: 0,
        update: ({ g, m, state, beta2 }, ops) =>
          ops.add(
            ops.mul(state['s'] ?? g, beta2),
            ops.sub(ops.square(ops.sub(g, m)), ops.mul(ops.square(ops.sub(g, m)), beta2)),
          ),
      },
    ],
    apply: ({ m, state, eps }, ops) => ops.div(m, ops.add(ops.sqrt(state['s'] ?? m), eps)),
  }),
});

function term(name: string, overrides: Partial<PrimitiveTerm>): PrimitiveDefinition {
  return definePrimitive({
    id: `test/${name}`,
    meta: { summary: 'A deliberately broken primitive.' },
    create: () => ({ formula: 'g', apply: ({ g }) => g, ...overrides }),
  });
}

const asTensor = (x: unknown) => x as tf.Tensor;

describe('checkPrimitiveTensors', () => {
  it('finds nothing wrong with conforming primitives, stateless and stateful', async () => {
    for (const def of [grad, momentum, adam, lionish, belief]) expect(await checkPrimitiveTensors(def)).toEqual([]);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reports a term that keeps a tensor between steps as tensor-leaks', async () => {
    const def = definePrimitive({
      id: 'test/memoizes',
      meta: { summary: 'Caches a constant tensor.' },
      create: () => {
        let half: tf.Tensor | undefined;
        return {
          formula: 'g/2',
          apply: (({ g }, ops) => {
            half ??= tf.keep(asTensor(ops.fill(g, 0.5)));
            return ops.mul(g, half as typeof g);
          }) as PrimitiveTerm['apply'],
        };
      },
    });
    const violations = await checkPrimitiveTensors(def);
    expect(violations.map((v) => v.rule)).toEqual(['tensor-leaks']);
    expect(violations[0]?.message).toMatch(
      /left 1 tensor behind on a tensor \[7\] with ε, β1, β2 as numbers \(\d+ before, \d+ after\)/,
    );
    expect(violations[0]?.fix).toMatch(/no tf\.keep/);
  });

  it('reports a term that disposes the gradient it was given as tensor-inputs', async () => {
    const def = term('disposes', {
      apply: ({ g }, ops) => {
        const out = ops.mul(g, 2);
        asTensor(g).dispose();
        return out;
      },
    });
    const violations = await checkPrimitiveTensors(def);
    expect(violations.map((v) => v.rule)).toEqual(['tensor-inputs']);
    expect(violations[0]?.message).toMatch(/disposed g on a tensor \[7\]/);
  });

  it("reports a term that reads the first member's ε for every member as tensor-values", async () => {
    const def = term('first-eps', {
      apply: ({ g, eps }, ops) =>
        ops.div(g, ops.add(ops.abs(g), typeof eps === 'number' ? eps : (asTensor(eps).dataSync()[0] as number))),
    });
    const violations = await checkPrimitiveTensors(def);
    expect(violations.map((v) => v.rule)).toEqual(['tensor-values']);
    expect(violations[0]?.message).toMatch(
      /for element \d+ of member [12] on a population \[3, 5\] with ε, β1, β2 as \[3, 1\] tensors, but .* for it alone on float32 numbers/,
    );
  });

  it('reports per-member constants flattened onto the parameter axis, which tf cannot broadcast, as tensor-shape', async () => {
    const def = term('flattens', {
      apply: ({ g, eps }, ops) =>
        ops.div(g, ops.add(ops.abs(g), typeof eps === 'number' ? eps : (tf.reshape(asTensor(eps), [-1]) as typeof g))),
    });
    const violations = await checkPrimitiveTensors(def);
    expect(violations.map((v) => v.rule)).toEqual(['tensor-shape']);
    expect(violations[0]?.message).toMatch(
      /threw on a population \[3, 5\] with ε, β1, β2 as \[3, 1\] tensors: Error: Operands could not be broadcast/,
    );
  });

  it('reports a state slot that takes the shape of the per-member ε as tensor-shape', async () => {
    const def = term('eps-shaped', {
      state: [
        {
          name: 's',
          init: 0,
          update: ({ g, eps }, ops) => (typeof eps === 'number' ? ops.fill(g, eps) : ops.mul(eps, 1)),
        },
      ],
      apply: ({ g, state }, ops) => ops.add(g, state['s'] ?? g),
    });
    expect(checkPrimitive(def).map((v) => v.rule)).toEqual(['population']);
    const violations = await checkPrimitiveTensors(def);
    expect(violations.map((v) => v.rule)).toEqual(['tensor-shape']);
    expect(violations[0]?.message).toMatch(
      /returned from state slot "s" a float32 tensor \[3, 1\] on a population \[3, 5\]/,
    );
  });

  it('says which backend could not start, under every rule', async () => {
    const violations = await checkPrimitiveTensors(grad, { backend: 'wasm' });
    expect(violations.map((v) => v.rule)).toEqual(['tensor-shape', 'tensor-values', 'tensor-leaks', 'tensor-inputs']);
    expect(violations[0]?.message).toMatch(
      /backend 'wasm' requested, but this thread already initialised backend 'cpu'/,
    );
  });
});

describe('testPrimitiveTensors', () => {
  it('registers one test per rule, each throwing an error that names the rule and its fix', async () => {
    const registered: [string, () => unknown][] = [];
    const disposes = term('disposes', {
      apply: ({ g }, ops) => {
        const out = ops.mul(g, 1);
        asTensor(g).dispose();
        return out;
      },
    });
    testPrimitiveTensors(disposes, { test: (name, fn) => registered.push([name, fn]) });
    expect(registered.map(([name]) => name.split(' › ')[1]?.split(':')[0])).toEqual([
      'tensor-shape',
      'tensor-values',
      'tensor-leaks',
      'tensor-inputs',
    ]);
    const fn = registered.find(([n]) => n.includes('› tensor-inputs:'))?.[1] ?? (() => undefined);
    const error: unknown = await Promise.resolve()
      .then(fn)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EvoptError);
    expect(isEvoptError(error, 'PLUGIN_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      /primitive "test\/disposes" breaks the conformance rule "tensor-inputs"[\s\S]*fix: Never dispose the tensors a term is given/,
    );
  });
});

describe('testPrimitiveTensors with vitest', () => {
  for (const def of [grad, adam, lionish]) testPrimitiveTensors(def, { test: it });
});
