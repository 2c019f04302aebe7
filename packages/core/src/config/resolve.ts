import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { EvoptError } from '../errors.js';
import { defaultDataDir } from './data-dir.js';
import { closestMatch } from './did-you-mean.js';
import { configIssues, formatConfigIssues, type ConfigIssue } from './issues.js';
import { mergeConfig } from './merge.js';
import { DEFAULT_PRESET, presetBase } from './presets.js';
import {
  configInputSchema,
  PRESET_NAMES,
  resolvedConfigSchema,
  type EvoptConfigInput,
  type PresetName,
  type ResolvedConfig,
} from './schema.js';

/** Where config values come from, and where relative paths in them are anchored. */
export interface ResolveConfigOptions {
  /** The config file's content, unvalidated; undefined when there is no file. */
  readonly file?: unknown;
  /** The config file's absolute path, or null. */
  readonly filepath?: string | null;
  /** How messages name the file, e.g. "evopt.config.ts"; defaults to `filepath`. */
  readonly source?: string;
  /** A preset chosen on the command line; replaces the file's. Validated here, so a raw string is fine. */
  readonly preset?: string | null;
  /** Command-line values, merged last. Relative paths in them are anchored at `cwd`. */
  readonly overrides?: EvoptConfigInput;
  /** The config file's directory, or `cwd`: the anchor of the file's relative paths. */
  readonly baseDir: string;
  readonly cwd: string;
  /** The environment (EVOPT_DATA_DIR, XDG_CACHE_HOME); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const CLI_SOURCE = 'command-line options';

function invalid(source: string, filepath: string | null, issues: ConfigIssue[], fix: string): EvoptError {
  const [only] = issues;
  const message =
    issues.length === 1 && only
      ? `${source}: ${only.path}: ${only.problem}`
      : `${source} has ${issues.length} problems:\n${formatConfigIssues(issues)}`;
  return new EvoptError('CONFIG_INVALID', message, { fix, details: { file: filepath, source, issues } });
}

function parseInput(value: unknown, source: string, filepath: string | null, fix: string): EvoptConfigInput {
  const result = configInputSchema.safeParse(value === undefined ? {} : value);
  if (result.success) return result.data;
  throw invalid(source, filepath, configIssues(configInputSchema, result.error.issues, value), fix);
}

function parsePresetArg(preset: string | null): PresetName | null {
  if (preset === null || (PRESET_NAMES as readonly string[]).includes(preset)) return preset as PresetName | null;
  const guess = closestMatch(preset, PRESET_NAMES);
  throw new EvoptError('CONFIG_INVALID', `Unknown preset "${preset}". Known presets: ${PRESET_NAMES.join(', ')}.`, {
    fix: guess ? `Did you mean "${guess}"? Pass --preset ${guess}.` : `Pass one of: ${PRESET_NAMES.join(', ')}.`,
    details: { file: null, source: CLI_SOURCE, preset, known: PRESET_NAMES },
  });
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}

function anchor(path: string | undefined, dir: string): string | undefined {
  return path === undefined ? undefined : resolve(dir, expandHome(path));
}

const isPathLike = (plugin: string) => plugin.startsWith('.') || isAbsolute(plugin);

/** Command-line paths are typed relative to where the command runs, not to the config file. */
function anchorOverrides(overrides: EvoptConfigInput, cwd: string): EvoptConfigInput {
  return {
    ...overrides,
    runsDir: anchor(overrides.runsDir, cwd),
    dataDir: anchor(overrides.dataDir, cwd),
    plugins: overrides.plugins?.map((p) => (isPathLike(p) ? resolve(cwd, p) : p)),
  };
}

function withOptions<T extends { readonly options?: Record<string, unknown> | undefined }>(ref: T | undefined) {
  return ref && { ...ref, options: ref.options ?? {} };
}

/** "evopt.config.ts (on preset "quick", with command-line options)": what a merged config came from. */
function describeLayers(file: string | null, preset: PresetName | null, cli: boolean): string {
  const base = preset === null ? 'without a preset' : `on preset "${preset}"`;
  return `${file ?? 'the config'} (${base}${cli ? `, with ${CLI_SOURCE}` : ''})`;
}

/**
 * Builds the resolved config from a preset, a config file's content and command-line values.
 * The preset is the command line's, else the file's, else {@link DEFAULT_PRESET}; `null` means
 * none. The file is laid over the preset and the command line over both, by mergeConfig's rule
 * (plugins append). Relative `runsDir`/`dataDir` resolve against `baseDir`.
 *
 * @throws EvoptError CONFIG_INVALID naming the source, each bad key's path, what was expected and
 * what was found; also when `ga.elites` is not below `ga.populationSize`.
 */
/** The plugin behind `evaluation.queue`. */
const QUEUE_PLUGIN = '@evopt/plugin-queue';

/**
 * `evaluation.queue` is shorthand: it adds the queue plugin and makes its 'queue' evaluator the
 * run's, with the URL (keeping the other options of a 'queue' evaluator the config sets).
 */
function withQueue(merged: EvoptConfigInput): Pick<EvoptConfigInput, 'plugins' | 'evaluation'> {
  const url = merged.evaluation?.queue;
  if (typeof url !== 'string') return {};
  const current = merged.evaluation?.evaluator;
  const options = current?.id === 'queue' ? current.options : undefined;
  const plugins = merged.plugins ?? [];
  return {
    plugins: plugins.includes(QUEUE_PLUGIN) ? plugins : [...plugins, QUEUE_PLUGIN],
    evaluation: { ...merged.evaluation, evaluator: { id: 'queue', options: { ...options, url } } },
  };
}

export function resolveConfig(options: ResolveConfigOptions): ResolvedConfig {
  const filepath = options.filepath ?? null;
  const source = options.source ?? filepath ?? 'config';
  const file = parseInput(
    options.file,
    source,
    filepath,
    `Correct the keys listed above in ${source}; a misspelt key is unknown, and a key you remove falls back to the preset's value.`,
  );
  const overrides = parseInput(options.overrides, CLI_SOURCE, null, 'Correct the command-line flags listed above.');
  // The most specific choice wins: the --preset argument, then an override, then the file.
  const chosen = [
    options.preset === undefined ? undefined : parsePresetArg(options.preset),
    overrides.preset,
    file.preset,
  ];
  const found = chosen.find((choice) => choice !== undefined);
  const preset = found === undefined ? DEFAULT_PRESET : found; // null is a choice: no preset

  const env = options.env ?? process.env;
  const layered = mergeConfig(mergeConfig(presetBase(preset), { ...file, preset: undefined }), {
    ...anchorOverrides(overrides, options.cwd),
    preset: undefined,
  });
  const merged = { ...layered, ...withQueue(layered) };
  const dataDir =
    merged.dataDir !== undefined
      ? anchor(merged.dataDir, options.baseDir)
      : anchor(defaultDataDir({ env }), options.cwd);
  const candidate = {
    ...merged,
    preset,
    runsDir: anchor(merged.runsDir, options.baseDir),
    dataDir,
    selection: withOptions(merged.selection),
    tasks: merged.tasks?.map((task) => withOptions(task)),
    evaluation: merged.evaluation && { ...merged.evaluation, evaluator: withOptions(merged.evaluation.evaluator) },
  };

  const combined = describeLayers(filepath ? source : null, preset, options.overrides !== undefined);
  const result = resolvedConfigSchema.safeParse(candidate);
  if (!result.success) {
    throw invalid(
      combined,
      filepath,
      configIssues(resolvedConfigSchema, result.error.issues, candidate),
      `Set the keys listed above in ${filepath ? source : 'evopt.config.ts'}, or choose a preset that sets them (${PRESET_NAMES.join(', ')}).`,
    );
  }
  const config = result.data;
  if (config.ga.elites >= config.ga.populationSize) {
    const issue: ConfigIssue = {
      path: 'ga.elites',
      problem: `expected fewer elites than ga.populationSize (${config.ga.populationSize}), found number ${config.ga.elites}`,
    };
    throw invalid(
      combined,
      filepath,
      [issue],
      `Lower ga.elites below ${config.ga.populationSize}, or raise ga.populationSize above ${config.ga.elites}.`,
    );
  }
  return config;
}
