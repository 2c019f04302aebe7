import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve as resolveModule } from 'import-meta-resolve';
import { EvoptError } from '../errors.js';
import type { Registries } from '../registry/registries.js';
import type { EvoptPlugin } from './define.js';
import { registerPlugin } from './validate.js';

/** A plugin as loaded: where it came from, so a run records exactly which code produced it. */
export interface LoadedPlugin {
  readonly plugin: EvoptPlugin;
  /** The specifier as written in the config. */
  readonly specifier: string;
  /** The resolved entry module, loadable from any thread. */
  readonly url: string;
  readonly version: string;
  /** sha256 of the entry file, first 16 hex digits. */
  readonly entryHash: string;
}

function isPathLike(specifier: string): boolean {
  return specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:');
}

/**
 * Resolves a config's plugin specifier (package name or path relative to the config) to a URL.
 * Package names are looked up from `baseDir` first, then from each of `fallbackDirs` (the evopt
 * installation itself, so its built-in plugins load even where a project has not installed them).
 */
export function resolvePluginUrl(specifier: string, baseDir: string, fallbackDirs: readonly string[] = []): string {
  if (specifier.startsWith('file:')) return specifier;
  if (isPathLike(specifier)) return pathToFileURL(resolvePath(baseDir, specifier)).href;
  let firstError: unknown;
  for (const dir of [baseDir, ...fallbackDirs]) {
    try {
      return resolveModule(specifier, pathToFileURL(`${resolvePath(dir)}/`).href);
    } catch (error) {
      firstError ??= error;
    }
  }
  throw new EvoptError('PLUGIN_LOAD_FAILED', `Cannot find plugin "${specifier}" from ${baseDir}.`, {
    fix: `Install it (npm install ${specifier}) or write a relative path such as "./plugins/my-plugin.js".`,
    details: { specifier, baseDir },
    cause: firstError,
  });
}

async function readVersion(url: string, fallback: string | undefined): Promise<string> {
  if (fallback) return fallback;
  // Walk up from the entry file to the nearest package.json.
  let dir = fileURLToPath(new URL('.', url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(await readFile(resolvePath(dir, 'package.json'), 'utf8')) as { version?: string };
      if (pkg.version) return pkg.version;
    } catch {
      // keep walking
    }
    const parent = resolvePath(dir, '..');
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}

/** Imports one plugin module; its default export (or export named `plugin`) is the plugin. */
export async function importPlugin(specifier: string, url: string): Promise<EvoptPlugin> {
  let module: Record<string, unknown>;
  try {
    module = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EvoptError('PLUGIN_LOAD_FAILED', `Plugin "${specifier}" threw while loading: ${reason}`, {
      fix: `Fix the error in "${specifier}" (run it with node to see the stack), or remove it from the config's plugins.`,
      details: { specifier, url },
      cause: error,
    });
  }
  const plugin = (module['default'] ?? module['plugin']) as EvoptPlugin | undefined;
  if (!plugin || typeof plugin !== 'object') {
    throw new EvoptError('PLUGIN_INVALID', `Module "${specifier}" does not export a plugin.`, {
      fix: "Make the module's default export the result of definePlugin({ name, apiVersion, ... }).",
      details: { specifier, url, exports: Object.keys(module) },
    });
  }
  return plugin;
}

/**
 * Loads the plugins named in the config, in order, and registers their contributions. Only named
 * plugins are loaded; nothing is discovered by scanning directories.
 */
export async function loadPlugins(
  specifiers: readonly string[],
  baseDir: string,
  registries: Registries,
  fallbackDirs: readonly string[] = [],
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  const seen = new Set<string>();
  for (const specifier of specifiers) {
    const url = resolvePluginUrl(specifier, baseDir, fallbackDirs);
    if (seen.has(url)) continue;
    seen.add(url);
    const plugin = await importPlugin(specifier, url);
    registerPlugin(registries, plugin);
    const entry = await readFile(fileURLToPath(url)).catch(() => Buffer.from(''));
    loaded.push({
      plugin,
      specifier,
      url,
      version: await readVersion(url, plugin.version),
      entryHash: createHash('sha256').update(entry).digest('hex').slice(0, 16),
    });
  }
  return loaded;
}
