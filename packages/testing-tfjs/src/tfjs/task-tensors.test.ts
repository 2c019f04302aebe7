import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRegistries,
  defineTask,
  freezeRegistries,
  registerPlugin,
  type TaskDefinition,
  type TaskInstance,
} from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import { quadraticTask, type QuadraticOptions } from '@evopt/plugin-quadratic';
import schedules from '@evopt/plugin-schedules';
import { checkTask, detectedTfjsTensors } from '@evopt/testing';
import { startBackend, tfjsTensors } from '../index.js';

const registries = (() => {
  const r = createRegistries();
  for (const plugin of [primitives, schedules]) registerPlugin(r, plugin);
  return freezeRegistries(r);
})();
beforeAll(async () => {
  await startBackend('cpu');
});

/** testing/quadratic that also computes a statistic of each batch with TensorFlow.js. */
function withTensors(
  name: string,
  statistic: (items: number[]) => void,
  dispose?: () => void,
): TaskDefinition<QuadraticOptions> {
  return defineTask<QuadraticOptions>({
    id: `tensors/${name}`,
    meta: quadraticTask.meta,
    async create(options, context): Promise<TaskInstance> {
      const inner = await quadraticTask.create(options, context);
      return {
        evaluate: (items, ctx) => {
          statistic(items.map((item) => item.seed));
          return inner.evaluate(items, ctx);
        },
        ...(dispose ? { dispose } : {}),
      };
    },
  });
}

describe("testTask's tensor-leaks rule on TensorFlow.js", () => {
  it('counts the tensors of tfjs in this thread, with or without the explicit counter', () => {
    const before = detectedTfjsTensors.count();
    const t = tf.ones([2]);
    expect(detectedTfjsTensors.count()).toBe(before + 1);
    expect(tfjsTensors().count()).toBe(before + 1);
    t.dispose();
  });

  it('finds nothing wrong with a task that keeps its tensor work in tf.tidy', async () => {
    const tidy = withTensors('tidy', (seeds) => {
      tf.tidy(() => tf.mean(tf.tensor1d(seeds)).dataSync());
    });
    expect(await checkTask(tidy, { registries })).toEqual([]);
  });

  it('reports a task that leaves a tensor behind on each evaluation, by default and with tfjsTensors()', async () => {
    const leaky = withTensors('leaky', (seeds) => {
      tf.mean(tf.tensor1d(seeds)).dataSync();
    });
    const violations = await checkTask(leaky, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['tensor-leaks']);
    expect(violations[0]?.message).toMatch(
      /left 2 more TensorFlow\.js tensors \(tf\.memory\(\)\.numTensors\) after evaluating the batch a second time/,
    );
    expect((await checkTask(leaky, { registries, tensors: tfjsTensors() })).map((v) => v.rule)).toEqual([
      'tensor-leaks',
    ]);
    expect(await checkTask(leaky, { registries, tensors: false })).toEqual([]);
  });

  it('reports a task whose dispose forgets a tensor made in create', async () => {
    let kept: tf.Tensor[] = [];
    const def = defineTask<QuadraticOptions>({
      id: 'tensors/forgets',
      meta: quadraticTask.meta,
      async create(options, context) {
        const inner = await quadraticTask.create(options, context);
        const table = tf.ones([4]);
        kept.push(table);
        return { evaluate: (items, ctx) => inner.evaluate(items, ctx), dispose: () => undefined };
      },
    });
    const violations = await checkTask(def, { registries });
    expect(violations.map((v) => v.rule)).toEqual(['tensor-leaks']);
    expect(violations[0]?.message).toMatch(
      /left 1 more TensorFlow\.js tensors .* after a second create → evaluate → dispose cycle/,
    );
    tf.dispose(kept);
    kept = [];
  });
});
