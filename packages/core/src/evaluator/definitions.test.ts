import { describe, expect, it } from 'vitest';
import { createRegistries } from '../registry/registries.js';
import { registerPlugin } from '../plugin/validate.js';
import { PLUGIN_API_VERSION, definePlugin } from '../plugin/define.js';
import { fixtureContext } from './__fixtures__/harness.js';
import { evaluatorDefinitions, workerPoolEvaluatorDefinition } from './definitions.js';
import { InlineEvaluator } from './inline.js';
import { WorkerPoolEvaluator } from './worker-pool.js';

describe('evaluatorDefinitions', () => {
  it('register as built-ins under the bare ids "inline" and "worker-pool"', () => {
    const registries = createRegistries();
    registerPlugin(
      registries,
      definePlugin({ name: '@evopt/core', apiVersion: PLUGIN_API_VERSION, evaluators: [...evaluatorDefinitions] }),
    );
    expect(registries.evaluators.ids()).toEqual(['inline', 'worker-pool']);
  });

  it("fill in the worker pool's defaults and refuse bad values", () => {
    const schema = workerPoolEvaluatorDefinition.meta.options;
    expect(schema?.parse({})).toEqual({ workers: 'auto', batchSize: 1 });
    expect(schema?.parse({ workers: 3, batchSize: 4 })).toEqual({ workers: 3, batchSize: 4 });
    expect(schema?.safeParse({ workers: 0 }).success).toBe(false);
    expect(schema?.safeParse({ batchSize: 1.5 }).success).toBe(false);
  });

  it('create the evaluators they name', async () => {
    const context = await fixtureContext();
    const [inline, pool] = evaluatorDefinitions;
    const created = [inline.create({}, context), pool.create({ workers: 1, batchSize: 1 }, context)];
    expect(created[0]).toBeInstanceOf(InlineEvaluator);
    expect(created[1]).toBeInstanceOf(WorkerPoolEvaluator);
    expect(created.map((e) => e.id)).toEqual(['inline', 'worker-pool']);
    await Promise.all(created.map((e) => e.close()));
  });
});
