import { isAbsolute, relative, resolve } from 'node:path';
import { EvoptError, type LoadedConfig, type Options } from '@evopt/core';

/** ci's seed stream: deriveSeed(seed, 'ci', task, index), never one search draws from. */
export const CI_SALT = 'ci';

/** The ci block with its run-time defaults filled in: what `evopt ci` runs. */
export interface CiSettings {
  readonly genomes: readonly string[];
  readonly baseline: string;
  /** Each task with its options as written, and the config key they came from (for errors). */
  readonly tasks: readonly { readonly id: string; readonly options: Options; readonly key: string }[];
  readonly steps: number;
  readonly seeds: number;
  readonly seed: number;
  readonly tolerance: number;
  readonly alpha: number;
  /** Absolute path of the record file. */
  readonly recordPath: string;
  /** Where genome files and the record are relative to: the config file's directory. */
  readonly baseDir: string;
}

export const EXAMPLE_CI_BLOCK =
  "ci: { genomes: ['paper-evolved', './genomes/mine.json'], baseline: 'adam', seeds: 5, tolerance: 0.02 }";

/**
 * The ci block of a loaded config, with tasks defaulting to the config's tasks, steps to
 * evaluation.steps, and the record path resolved against the config file's directory.
 *
 * @throws EvoptError CONFIG_INVALID when the config has no ci block.
 */
export function ciSettings(loaded: LoadedConfig, cwd: string): CiSettings {
  const { config, filepath, baseDir } = loaded;
  const ci = config.ci;
  if (!ci) {
    const where = filepath === null ? `No config file in ${cwd}` : `${displayPath(filepath, cwd)} has no ci block`;
    throw new EvoptError('CONFIG_INVALID', `${where}: \`evopt ci\` needs one listing the genomes to guard.`, {
      fix: `Add to ${filepath === null ? 'evopt.config.ts' : displayPath(filepath, cwd)}: ${EXAMPLE_CI_BLOCK} (see docs/CI.md), or pass --config <file>.`,
      details: { file: filepath },
    });
  }
  const tasks = ci.tasks
    ? ci.tasks.map((task, i) =>
        typeof task === 'string'
          ? { id: task, options: {}, key: `ci.tasks[${i}]` }
          : { id: task.id, options: task.options ?? {}, key: `ci.tasks[${i}]` },
      )
    : config.tasks.map((task, i) => ({ id: task.id, options: task.options, key: `tasks[${i}]` }));
  return {
    genomes: ci.genomes,
    baseline: ci.baseline,
    tasks,
    steps: ci.steps ?? config.evaluation.steps,
    seeds: ci.seeds,
    seed: config.seed,
    tolerance: ci.tolerance,
    alpha: ci.alpha,
    recordPath: resolve(baseDir, ci.record),
    baseDir,
  };
}

/** A path as the user would type it from `cwd`: relative inside it, absolute outside. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
