import { preflightTasks, type Evaluator, type LoadedConfig, type LoadedRegistries, type Options } from '@evopt/core';
import { createRunContainer } from '../composition/container.js';
import { TOKENS } from '../composition/tokens.js';

/** Where a trial scores: the validation split (as search did) or the test split (for claims). */
export type TrialSplit = 'validation' | 'test';

export interface TrialEvaluator {
  readonly evaluator: Evaluator;
  readonly registries: LoadedRegistries;
  /**
   * The split each task actually scored on. A task whose options have no `split` (the smoke
   * task's quadratic bowl) scores the only way it can: 'task default'.
   */
  readonly splits: Readonly<Record<string, TrialSplit | 'task default'>>;
}

/**
 * An evaluator for `tasks` built from a config (its plugins, backend, evaluator and task options),
 * with `split` set on every task that has one. Tasks the config does not list get their defaults.
 * Checks that each task's data is present before returning, like `evolve` does.
 */
export async function createTrialEvaluator(
  loaded: LoadedConfig,
  tasks: readonly string[],
  split: TrialSplit,
  log: (message: string) => void,
): Promise<TrialEvaluator> {
  const probe = await createRunContainer(loaded, log);
  const { registries } = probe.get(TOKENS.Registries);
  const splits: Record<string, TrialSplit | 'task default'> = {};
  const taskConfigs = tasks.map((id) => {
    const given: Options = loaded.config.tasks.find((t) => t.id === id)?.options ?? {};
    const { item } = registries.tasks.lookup(id);
    const withSplit = { ...given, split };
    const accepts = item.meta.options?.safeParse(withSplit).success ?? false;
    splits[id] = accepts ? split : 'task default';
    return { id, options: accepts ? withSplit : given };
  });
  const config = { ...loaded.config, tasks: taskConfigs };
  const container = await createRunContainer({ ...loaded, config }, log);
  await preflightTasks(config, container.get(TOKENS.Registries).registries, container.get(TOKENS.Plan));
  return { evaluator: container.get(TOKENS.Evaluator), registries: container.get(TOKENS.Registries), splits };
}
