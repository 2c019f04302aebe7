import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildRegistries, loadConfig } from '@evopt/core';
import { APP_DIR } from '../composition/container.js';
import { exportGenome, type ExportTarget } from '../export/index.js';
import { resolveSubject } from '../trials/index.js';

export interface ExportOptions {
  readonly cwd: string;
  /** A genome JSON file (or best.json-like object with `genome`), a baseline id, a run directory or a run id. */
  readonly genome: string;
  readonly to: ExportTarget;
  readonly configFile?: string;
  /** Write here instead of returning the text for stdout. */
  readonly out?: string;
}

/**
 * `evopt export`: the genome as code for the user's own training loop. Primitives and schedules
 * are looked up in the configured plugins, as a run would; returns the text, or '' with `out`.
 */
export async function exportCommand(options: ExportOptions): Promise<string> {
  const { config, baseDir } = await loadConfig({
    cwd: options.cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
  });
  const registries = await buildRegistries(config.plugins, baseDir, [APP_DIR]);
  // A run (directory or id) stands for its best genome.
  const { genome } = await resolveSubject(options.genome, {
    cwd: options.cwd,
    runsDir: config.runsDir,
    lookups: registries.registries,
  });
  const text = exportGenome(genome, options.to, registries.registries);
  if (options.out === undefined) return text;
  await writeFile(resolve(options.cwd, options.out), text);
  return '';
}
