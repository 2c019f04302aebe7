import type { ServiceIdentifier } from 'inversify';
import type {
  EngineDependencies,
  EngineSettings,
  Evaluator,
  EventBus,
  Genome,
  LoadedConfig,
  LoadedRegistries,
  RunPlan,
} from '@evopt/core';

/** The services the composition root binds. Only apps/evopt knows about the container. */
export const TOKENS = {
  Config: Symbol.for('evopt.Config') as ServiceIdentifier<LoadedConfig>,
  Registries: Symbol.for('evopt.Registries') as ServiceIdentifier<LoadedRegistries>,
  Plan: Symbol.for('evopt.Plan') as ServiceIdentifier<RunPlan>,
  Baselines: Symbol.for('evopt.Baselines') as ServiceIdentifier<readonly Genome[]>,
  EngineSettings: Symbol.for('evopt.EngineSettings') as ServiceIdentifier<EngineSettings>,
  EngineDependencies: Symbol.for('evopt.EngineDependencies') as ServiceIdentifier<EngineDependencies>,
  Bus: Symbol.for('evopt.Bus') as ServiceIdentifier<EventBus>,
  Evaluator: Symbol.for('evopt.Evaluator') as ServiceIdentifier<Evaluator>,
  Log: Symbol.for('evopt.Log') as ServiceIdentifier<(message: string) => void>,
} as const;
