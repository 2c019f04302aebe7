import { EvoptError } from '../errors.js';
import { loadGenome } from '../genome/baselines.js';
import type { Genome } from '../genome/schema.js';
import type { EngineDependencies, EngineSettings } from '../engine/engine.js';
import { createGenomeSpace } from '../engine/space.js';
import { evaluatorDefinitions } from '../evaluator/definitions.js';
import type { ResolvedConfig } from '../config/schema.js';
import type { Options, ContributionMeta } from '../plugin/meta.js';
import { PLUGIN_API_VERSION, definePlugin } from '../plugin/define.js';
import { loadPlugins, type LoadedPlugin } from '../plugin/loader.js';
import { registerPlugin } from '../plugin/validate.js';
import { createRegistries, freezeRegistries, type ReadonlyRegistries } from '../registry/registries.js';
import { formatZodIssues } from '../zod-format.js';
import { wrapPluginError } from '../errors.js';

/** The evaluators core itself provides, registered before any plugin. */
export const corePlugin = definePlugin({
  name: '@evopt/core',
  apiVersion: PLUGIN_API_VERSION,
  evaluators: [...evaluatorDefinitions],
});

export interface LoadedRegistries {
  readonly registries: ReadonlyRegistries;
  readonly plugins: readonly LoadedPlugin[];
}

/** Registers core's evaluators, loads the config's plugins in order, and freezes the registries. */
export async function buildRegistries(
  plugins: readonly string[],
  baseDir: string,
  fallbackDirs: readonly string[] = [],
): Promise<LoadedRegistries> {
  const registries = createRegistries();
  registerPlugin(registries, corePlugin);
  const loaded = await loadPlugins(plugins, baseDir, registries, fallbackDirs);
  return { registries: freezeRegistries(registries), plugins: loaded };
}

/** Validates options against a contribution's schema; errors name the config key. */
export function contributionOptions(
  meta: ContributionMeta,
  given: Options,
  key: string,
  plugin: string,
  id: string,
): Options {
  if (!meta.options) return given;
  let result;
  try {
    result = meta.options.safeParse(given);
  } catch (error) {
    throw wrapPluginError(error, plugin, id, 'validating its options');
  }
  if (result.success) return result.data;
  throw new EvoptError(
    'CONFIG_INVALID',
    `Invalid options for "${id}" (from ${plugin}) at ${key}:\n${formatZodIssues(result.error.issues, given, [key])}`,
    {
      fix: `Correct ${key} in the config; \`evopt plugins\` lists each contribution's options.`,
      details: { key, id, plugin },
    },
  );
}

/** Everything the config names that lives in a registry, validated before the run starts. */
export interface RunPlan {
  readonly taskOptions: Readonly<Record<string, Options>>;
  readonly evaluatorOptions: Options;
  readonly selectionOptions: Options;
}

export function planRun(config: ResolvedConfig, registries: ReadonlyRegistries): RunPlan {
  const taskOptions: Record<string, Options> = {};
  config.tasks.forEach((task, i) => {
    if (taskOptions[task.id])
      throw new EvoptError('CONFIG_INVALID', `tasks[${i}]: the task "${task.id}" is listed twice.`, {
        fix: 'List each task once.',
      });
    const { item, plugin } = registries.tasks.lookup(task.id);
    taskOptions[task.id] = contributionOptions(item.meta, task.options, `tasks[${i}].options`, plugin, task.id);
  });
  const evaluator = registries.evaluators.lookup(config.evaluation.evaluator.id);
  const selection = registries.selections.lookup(config.selection.id);
  return {
    taskOptions,
    evaluatorOptions: contributionOptions(
      evaluator.item.meta,
      config.evaluation.evaluator.options,
      'evaluation.evaluator.options',
      evaluator.plugin,
      evaluator.item.id,
    ),
    selectionOptions: contributionOptions(
      selection.item.meta,
      config.selection.options,
      'selection.options',
      selection.plugin,
      selection.item.id,
    ),
  };
}

export function engineSettings(config: ResolvedConfig): EngineSettings {
  const { populationSize, generations, elites, crossoverRate, mutation } = config.ga;
  return { populationSize, generations, elites, crossoverRate, mutation };
}

/** Loads the baselines named in ga.baselines (ids or genome files relative to `baseDir`). */
export async function loadBaselines(config: ResolvedConfig, baseDir: string): Promise<Genome[]> {
  return Promise.all(config.ga.baselines.map((reference) => loadGenome(reference, baseDir)));
}

export function engineDependencies(
  config: ResolvedConfig,
  registries: ReadonlyRegistries,
  plan: RunPlan,
  baselines: readonly Genome[],
): EngineDependencies {
  const { item, plugin } = registries.selections.lookup(config.selection.id);
  let selection;
  try {
    selection = item.create(plan.selectionOptions);
  } catch (error) {
    throw wrapPluginError(error, plugin, `selection "${item.id}"`, 'creating the strategy');
  }
  for (const genome of baselines) for (const term of genome.terms) registries.primitives.get(term.primitive);
  // The space checks ga.primitives' ids first, so an unknown one is reported as such.
  const space = createGenomeSpace(registries, {
    primitives: config.ga.primitives,
    schedules: config.ga.schedules,
    maxTerms: config.ga.maxTerms,
  });
  const allowed = config.ga.primitives;
  if (allowed !== null) {
    // Baselines seed generation 0; one outside the restricted set would breed its terms into the search.
    const outside = baselines.flatMap((genome, i) => {
      const extra = [...new Set(genome.terms.map((t) => t.primitive).filter((id) => !allowed.includes(id)))];
      return extra.length > 0 ? [`${config.ga.baselines[i]} (uses ${extra.join(', ')})`] : [];
    });
    if (outside.length > 0) {
      throw new EvoptError(
        'CONFIG_INVALID',
        `ga.primitives restricts the search to ${allowed.join(', ')}, but ga.baselines seeds genomes with other primitives: ${outside.join('; ')}.`,
        {
          fix: "List only baselines made of those primitives in ga.baselines (for example ga.baselines: [] or ['adam']), or add their primitives to ga.primitives.",
          details: { key: 'ga.baselines', primitives: allowed, outside },
        },
      );
    }
  }
  return {
    space,
    selection,
    lookups: registries,
    seeds: baselines,
  };
}

/**
 * Runs every task's preflight check (see TaskDefinition.preflight) before a run starts, so a
 * missing dataset stops `evopt evolve` before a run directory exists. All failures are reported
 * together, each with the plugin and task it came from.
 */
export async function preflightTasks(
  config: ResolvedConfig,
  registries: ReadonlyRegistries,
  plan: RunPlan,
): Promise<void> {
  const failures: EvoptError[] = [];
  for (const { id } of config.tasks) {
    const { item, plugin } = registries.tasks.lookup(id);
    if (!item.preflight) continue;
    try {
      await item.preflight(plan.taskOptions[id] ?? {}, { dataDir: config.dataDir });
    } catch (error) {
      failures.push(wrapPluginError(error, plugin, `task "${id}"`, 'checking it can start (preflight)'));
    }
  }
  const [first] = failures;
  if (!first) return;
  if (failures.length === 1) throw first;
  const fixes = [...new Set(failures.map((f) => f.fix).filter((fix): fix is string => fix !== undefined))];
  throw new EvoptError(
    first.code,
    `${failures.length} tasks cannot start:\n${failures.map((f) => `  - ${f.message.split('\n  fix: ')[0]}`).join('\n')}`,
    {
      fix: fixes.join('\n  fix: '),
      details: { failures: failures.map((f) => ({ code: f.code, message: f.message, details: f.details })) },
    },
  );
}
