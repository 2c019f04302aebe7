import { EvoptError, type LoadedConfig, type LoadedRegistries, type ResolvedConfig } from '@evopt/core';
import { EVOPT_VERSION } from '../version.js';

/** What config.json holds: enough to resume the run and to know exactly which code produced it. */
export interface SavedRunConfig {
  readonly schema: 'evopt.run-config/1';
  readonly evoptVersion: string;
  readonly createdAt: string;
  readonly configFile: string | null;
  readonly baseDir: string;
  readonly config: ResolvedConfig;
  readonly plugins: readonly { name: string; version: string; specifier: string; url: string; entryHash: string }[];
}

export function savedRunConfig(loaded: LoadedConfig, registries: LoadedRegistries): SavedRunConfig {
  return {
    schema: 'evopt.run-config/1',
    evoptVersion: EVOPT_VERSION,
    createdAt: new Date().toISOString(),
    configFile: loaded.filepath,
    baseDir: loaded.baseDir,
    config: loaded.config,
    plugins: registries.plugins.map((p) => ({
      name: p.plugin.name,
      version: p.version,
      specifier: p.specifier,
      url: p.url,
      entryHash: p.entryHash,
    })),
  };
}

export function parseSavedRunConfig(value: unknown, path: string): SavedRunConfig {
  const saved = value as Partial<SavedRunConfig> | null;
  if (!saved || saved.schema !== 'evopt.run-config/1' || !saved.config || typeof saved.baseDir !== 'string') {
    throw new EvoptError('RUN_CORRUPT', `${path} is not an evopt run config (expected schema "evopt.run-config/1").`, {
      fix: 'Point evopt resume at a run directory that evopt evolve created; `evopt runs` lists them.',
      details: { path },
    });
  }
  return saved as SavedRunConfig;
}
