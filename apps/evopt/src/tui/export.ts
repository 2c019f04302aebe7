import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Genome } from '@evopt/core';
import { exportGenome, type ExportLookups, type ExportTarget } from '../export/index.js';

/** What the TUI's `e` writes, and the extension of each. */
const TARGETS: readonly (readonly [ExportTarget, string])[] = [
  ['tfjs', 'mjs'],
  ['pytorch', 'py'],
  ['json', 'json'],
];

/**
 * Writes a genome as `<runDir>/exports/<hash>.mjs`, `.py` and `.json`; returns the paths. Every
 * file is generated before any is written, so a genome that export cannot handle leaves no file behind.
 */
export async function exportToRun(
  runDir: string,
  hash: string,
  genome: Genome,
  registries: ExportLookups,
): Promise<string[]> {
  const files = TARGETS.map(([target, extension]) => ({
    path: join(runDir, 'exports', `${hash}.${extension}`),
    text: exportGenome(genome, target, registries),
  }));
  await mkdir(join(runDir, 'exports'), { recursive: true });
  for (const file of files) await writeFile(file.path, file.text);
  return files.map((f) => f.path);
}
