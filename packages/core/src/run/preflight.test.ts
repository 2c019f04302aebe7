import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve.js';
import { EvoptError, isEvoptError } from '../errors.js';
import { definePlugin, defineTask, PLUGIN_API_VERSION } from '../plugin/define.js';
import { registerPlugin } from '../plugin/validate.js';
import { createRegistries, freezeRegistries } from '../registry/registries.js';
import { preflightTasks, type RunPlan } from './setup.js';

/** A task whose preflight fails with DATA_MISSING when `present` lacks its id; records what it saw. */
function registriesWith(present: readonly string[], seen: string[]) {
  const task = (id: string) =>
    defineTask({
      id,
      meta: { summary: `task ${id}` },
      preflight: (_options, { dataDir }) => {
        seen.push(`${id}@${dataDir}`);
        if (!present.includes(id))
          throw new EvoptError('DATA_MISSING', `The ${id} data is missing.`, { fix: `Fetch ${id}.` });
      },
      create: () => ({ evaluate: () => Promise.resolve([]) }),
    });
  const registries = createRegistries();
  registerPlugin(
    registries,
    definePlugin({
      name: 'fake-data',
      apiVersion: PLUGIN_API_VERSION,
      version: '1.0.0',
      tasks: [task('fake/a'), task('fake/b'), { ...task('fake/c'), preflight: undefined }],
    }),
  );
  return freezeRegistries(registries);
}

const config = resolveConfig({
  preset: 'smoke',
  file: { tasks: [{ id: 'fake/a' }, { id: 'fake/b' }, { id: 'fake/c' }], dataDir: '/data' },
  cwd: '/p',
  baseDir: '/p',
  env: {},
});
const plan: RunPlan = {
  taskOptions: { 'fake/a': {}, 'fake/b': {}, 'fake/c': {} },
  evaluatorOptions: {},
  selectionOptions: {},
};

async function failure(present: readonly string[], seen: string[] = []): Promise<EvoptError | null> {
  const registries = registriesWith(present, seen);
  try {
    await preflightTasks(config, registries, plan);
    return null;
  } catch (error) {
    if (!isEvoptError(error)) throw error;
    return error;
  }
}

describe('preflightTasks', () => {
  it('passes when every task can start, and gives each the data dir', async () => {
    const seen: string[] = [];
    expect(await failure(['fake/a', 'fake/b'], seen)).toBeNull();
    expect(seen).toEqual(['fake/a@/data', 'fake/b@/data']);
  });

  it('keeps a single failure as it is, naming the plugin and the task', async () => {
    const error = await failure(['fake/a']);
    expect(error?.code).toBe('DATA_MISSING');
    expect(error?.message).toMatch(
      /Plugin "fake-data" failed in task "fake\/b" while checking it can start \(preflight\): The fake\/b data is missing\./,
    );
    expect(error?.fix).toBe('Fetch fake/b.');
  });

  it('reports every task that cannot start at once, with each fix', async () => {
    const error = await failure([]);
    expect(error?.code).toBe('DATA_MISSING');
    expect(error?.message).toMatch(/2 tasks cannot start:\n {2}- .*task "fake\/a".*\n {2}- .*task "fake\/b"/);
    expect(error?.message).toMatch(/fix: Fetch fake\/a\.\n {2}fix: Fetch fake\/b\./);
  });
});
