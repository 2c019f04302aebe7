/** What each generator scaffolds: one kind of contribution, with its example's default name. */
export interface PluginKind {
  /** The contribution kind, as in `definePlugin({ primitives, schedules, tasks })`. */
  readonly kind: 'primitive' | 'schedule' | 'task';
  /** The generator's name in generators.json; its templates live in generators/<generator>/files. */
  readonly generator: 'primitive-plugin' | 'schedule-plugin' | 'task-plugin';
  /** The schema option that names the example contribution. */
  readonly nameOption: 'primitiveName' | 'scheduleName' | 'taskName';
  /** The example contribution's name when the option is not given. */
  readonly defaultName: string;
  /** Whether the example imports zod (an options schema), so the package depends on it. */
  readonly usesZod: boolean;
  /** evopt packages the example's own tests use, besides @evopt/core and @evopt/testing. */
  readonly testPackages: readonly string[];
  /** How the generated package describes itself, e.g. "primitives for evopt". */
  readonly describes: string;
}

export const PRIMITIVE_PLUGIN: PluginKind = {
  kind: 'primitive',
  generator: 'primitive-plugin',
  nameOption: 'primitiveName',
  defaultName: 'clipped-adam',
  usesZod: true,
  testPackages: [],
  describes: 'primitives (update terms) for evopt',
};

export const SCHEDULE_PLUGIN: PluginKind = {
  kind: 'schedule',
  generator: 'schedule-plugin',
  nameOption: 'scheduleName',
  defaultName: 'exp-decay',
  usesZod: false,
  testPackages: [],
  describes: 'learning-rate schedules for evopt',
};

export const TASK_PLUGIN: PluginKind = {
  kind: 'task',
  generator: 'task-plugin',
  nameOption: 'taskName',
  defaultName: 'logistic',
  usesZod: true,
  // Its tests train real genomes, which need evopt's primitives and schedules.
  testPackages: ['@evopt/plugin-primitives', '@evopt/plugin-schedules'],
  describes: 'tasks for evopt',
};
