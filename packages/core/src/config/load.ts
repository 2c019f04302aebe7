import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import { cosmiconfig, type CosmiconfigResult } from 'cosmiconfig';
import { EvoptError } from '../errors.js';
import { loadJson, loadTypeScript, loadYaml } from './loaders.js';
import { resolveConfig } from './resolve.js';
import type { EvoptConfigInput, ResolvedConfig } from './schema.js';

/** The files evopt looks for, in this order, in the working directory only (not its parents). */
export const CONFIG_SEARCH_PLACES = [
  'package.json',
  'evopt.config.ts',
  'evopt.config.mts',
  'evopt.config.mjs',
  'evopt.config.js',
  'evopt.config.cjs',
  'evopt.config.json',
  'evopt.config.yaml',
  'evopt.config.yml',
  '.evoptrc.json',
  '.evoptrc.yaml',
] as const;

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.mjs', '.js', '.cjs']);

export interface LoadConfigOptions {
  /** Where to look for a config file, and the anchor of command-line paths. */
  readonly cwd: string;
  /** An explicit config file (`--config`), relative to `cwd`; it must exist. */
  readonly configFile?: string;
  /** A preset from the command line; replaces the file's. */
  readonly preset?: string | null;
  /** Values from command-line flags, merged over the file. */
  readonly overrides?: EvoptConfigInput;
  /** The environment (EVOPT_DATA_DIR, XDG_CACHE_HOME); default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface LoadedConfig {
  readonly config: ResolvedConfig;
  /** The config file used, absolute; null when there was none and the preset stands alone. */
  readonly filepath: string | null;
  /** The config file's directory (or `cwd`): plugin paths in the config are relative to it. */
  readonly baseDir: string;
}

/** "evopt.config.ts" for a file in cwd, the absolute path for one elsewhere. */
function displayName(filepath: string, cwd: string): string {
  const rel = relative(cwd, filepath);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? filepath : rel;
}

function loadFailed(error: unknown, filepath: string, cwd: string): EvoptError {
  const failing =
    typeof (error as { filepath?: unknown })?.filepath === 'string'
      ? (error as { filepath: string }).filepath
      : filepath;
  const name = displayName(failing, cwd);
  // cosmiconfig prefixes "JSON Error in /abs/path:\n"; the file is named already.
  const reason = (error instanceof Error ? error.message : String(error)).replace(/^\w+ Error in [^\n]*:\n/, '');
  const unsupported = /^No loader specified/.test(reason);
  return new EvoptError('CONFIG_INVALID', `Cannot load ${name}: ${reason}`, {
    fix: unsupported
      ? `Use one of the supported config files: ${CONFIG_SEARCH_PLACES.join(', ')}.`
      : `Fix the error in ${name} (see the message above), or move the file aside to run with a preset alone.`,
    details: { file: failing, reason },
    cause: error,
  });
}

async function mustExist(filepath: string, given: string): Promise<void> {
  try {
    await stat(filepath);
  } catch {
    throw new EvoptError('CONFIG_NOT_FOUND', `Config file ${given} not found (looked at ${filepath}).`, {
      fix: 'Check the path given with --config, or leave it out to use an evopt.config.* file in the current directory.',
      details: { file: filepath },
    });
  }
}

/** The config object in a cosmiconfig result, turning "empty" results into clear outcomes. */
async function contentOf(result: NonNullable<CosmiconfigResult>, name: string): Promise<unknown> {
  if (!result.isEmpty) return result.config;
  const isModule = MODULE_EXTENSIONS.has(extname(result.filepath));
  const text = isModule ? await readFile(result.filepath, 'utf8') : '';
  if (text.trim() !== '') {
    throw new EvoptError('CONFIG_INVALID', `${name} has no default export.`, {
      fix: `Export the config: export default defineConfig({ ... }) in ${name}.`,
      details: { file: result.filepath },
    });
  }
  return {};
}

/**
 * Finds, loads and resolves evopt's config.
 *
 * Without `configFile`, the first of {@link CONFIG_SEARCH_PLACES} present in `cwd` is used
 * (package.json only when it has an "evopt" key); with none, the preset stands alone. The file is
 * laid over its preset and `overrides` over both (see mergeConfig); `preset` replaces the file's.
 *
 * @throws EvoptError CONFIG_NOT_FOUND when `configFile` does not exist; CONFIG_INVALID when a
 * file cannot be parsed or imported, or holds an invalid config (each issue has its JSON path).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<LoadedConfig> {
  const cwd = resolve(options.cwd);
  const explorer = cosmiconfig('evopt', {
    searchPlaces: [...CONFIG_SEARCH_PLACES],
    searchStrategy: 'none',
    // Ours wrap cosmiconfig's with clearer errors (loaders.ts); it has no .mts loader of its own.
    loaders: { '.json': loadJson, '.yaml': loadYaml, '.yml': loadYaml, '.ts': loadTypeScript, '.mts': loadTypeScript },
    // A present but empty (or export-less) file must not be skipped silently; contentOf decides.
    ignoreEmptySearchPlaces: false,
    cache: false,
  });

  let result: CosmiconfigResult;
  const explicit = options.configFile === undefined ? undefined : resolve(cwd, options.configFile);
  if (explicit !== undefined) await mustExist(explicit, options.configFile ?? explicit);
  try {
    result = explicit === undefined ? await explorer.search(cwd) : await explorer.load(explicit);
  } catch (error) {
    throw loadFailed(error, explicit ?? cwd, cwd);
  }
  if (result === null && explicit !== undefined) {
    const name = displayName(explicit, cwd);
    if (basename(explicit) === 'package.json') {
      throw new EvoptError('CONFIG_INVALID', `${name} has no "evopt" key.`, {
        fix: `Add an "evopt": { ... } object to ${name}, or point --config at an evopt.config.* file.`,
        details: { file: explicit },
      });
    }
    // A file whose content is literally null: let validation say what was expected.
    result = { config: null, filepath: explicit };
  }

  const filepath = result === null ? null : result.filepath;
  const baseDir = filepath === null ? cwd : dirname(filepath);
  const source = filepath === null ? undefined : displayName(filepath, cwd);
  const file = result === null ? undefined : await contentOf(result, source ?? result.filepath);
  const config = resolveConfig({
    file,
    filepath,
    source,
    preset: options.preset,
    overrides: options.overrides,
    baseDir,
    cwd,
    env: options.env,
  });
  return { config, filepath, baseDir };
}
