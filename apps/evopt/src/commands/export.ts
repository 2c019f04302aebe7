import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildRegistries, loadConfig, loadGenome, type Genome } from '@evopt/core';
import { APP_DIR } from '../composition/container.js';
import { exportGenome, type ExportTarget } from '../export/index.js';

export interface ExportOptions {
  readonly cwd: string;
  /** A genome JSON file (or best.json-like object with `genome`), a baseline id, or a run directory. */
  readonly genome: string;
  readonly to: ExportTarget;
  readonly configFile?: string;
  /** Write here instead of returning the text for stdout. */
  readonly out?: string;
}

/** A run directory stands for its best genome (best.json); anything else goes to core's loadGenome. */
async function readGenome(reference: string, cwd: string): Promise<Genome> {
  const path = resolve(cwd, reference);
  const isDirectory = await stat(path).then((s) => s.isDirectory(), () => false);
  return loadGenome(isDirectory ? join(path, 'best.json') : reference, cwd);
}

/**
 * `evopt export`: the genome as code for the user's own training loop. Primitives and schedules
 * are looked up in the configured plugins, as a run would; returns the text, or '' with `out`.
 */
export async function exportCommand(options: ExportOptions): Promise<string> {
  const { config, baseDir } = await loadConfig({ cwd: options.cwd, ...(options.configFile ? { configFile: options.configFile } : {}) });
  const registries = await buildRegistries(config.plugins, baseDir, [APP_DIR]);
  const genome = await readGenome(options.genome, options.cwd);
  const text = exportGenome(genome, options.to, registries.registries);
  if (options.out === undefined) return text;
  await writeFile(resolve(options.cwd, options.out), text);
  return '';
}
