import { fileURLToPath } from 'node:url';
import { Container } from 'inversify';
import {
  buildRegistries,
  engineDependencies,
  engineSettings,
  EventBus,
  loadBaselines,
  planRun,
  wrapPluginError,
  type LoadedConfig,
} from '@evopt/core';
import { TOKENS } from './tokens.js';

/** evopt's own install directory: built-in plugins resolve from here when a project lacks them. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The composition root. Async work (loading plugins and baselines) happens first; the container
 * then wires the run's services from those values. Plugins and core classes never see it.
 */
export async function createRunContainer(loaded: LoadedConfig, log: (message: string) => void): Promise<Container> {
  const { config, baseDir } = loaded;
  const registries = await buildRegistries(config.plugins, baseDir, [APP_DIR]);
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(TOKENS.Config).toConstantValue(loaded);
  container.bind(TOKENS.Registries).toConstantValue(registries);
  container.bind(TOKENS.Log).toConstantValue(log);
  container.bind(TOKENS.Baselines).toConstantValue(await loadBaselines(config, baseDir));
  container.bind(TOKENS.Bus).toConstantValue(new EventBus());
  container.bind(TOKENS.Plan).toResolvedValue((r) => planRun(config, r.registries), [TOKENS.Registries]);
  container.bind(TOKENS.EngineSettings).toResolvedValue(() => engineSettings(config));
  container
    .bind(TOKENS.EngineDependencies)
    .toResolvedValue(
      (r, plan, baselines) => engineDependencies(config, r.registries, plan, baselines),
      [TOKENS.Registries, TOKENS.Plan, TOKENS.Baselines],
    );
  container.bind(TOKENS.Evaluator).toResolvedValue(
    (r, plan) => {
      const { item, plugin } = r.registries.evaluators.lookup(config.evaluation.evaluator.id);
      try {
        return item.create(plan.evaluatorOptions, {
          registries: r.registries,
          pluginUrls: r.plugins.map((p) => p.url),
          taskOptions: plan.taskOptions,
          dataDir: config.dataDir,
          backend: config.backend,
          log,
        });
      } catch (error) {
        throw wrapPluginError(error, plugin, `evaluator "${item.id}"`, 'starting');
      }
    },
    [TOKENS.Registries, TOKENS.Plan],
  );
  return container;
}
