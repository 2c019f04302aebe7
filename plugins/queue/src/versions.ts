import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPlugin } from '@evopt/core';

/** The code a job must be evaluated with: the engine's version and each plugin's. */
export interface QueueVersions {
  /** The evopt engine (@evopt/core) version. */
  readonly evopt: string;
  /** Plugin package name → version, for every plugin the run loaded. */
  readonly plugins: Readonly<Record<string, string>>;
}

/** This package's own name and version: a worker always counts itself among its plugins. */
export const QUEUE_PLUGIN_NAME = '@evopt/plugin-queue';
export const QUEUE_PLUGIN_VERSION = packageVersion(fileURLToPath(import.meta.url));

/** The version of the @evopt/core this process runs. */
export function evoptVersion(): string {
  return packageVersion(fileURLToPath(import.meta.resolve('@evopt/core')));
}

/** Versions of the plugins at `pluginUrls`, as the loader reads them (the plugin's own field, else its package.json). */
export async function pluginVersions(pluginUrls: readonly string[]): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const url of new Set(pluginUrls)) {
    const plugin = await importPlugin(url, url);
    versions[plugin.name] = plugin.version ?? (url.startsWith('file:') ? packageVersion(fileURLToPath(url)) : '0.0.0');
  }
  return versions;
}

/** The version in the nearest package.json above `file` ('0.0.0' when there is none), as the plugin loader reads it. */
function packageVersion(file: string): string {
  let dir = dirname(file);
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string };
      if (pkg.version) return pkg.version;
    } catch {
      // keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return '0.0.0';
}
