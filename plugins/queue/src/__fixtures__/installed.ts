// Plugins installed as packages in a throwaway project (node_modules/<name>), as `npm install` leaves them.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The task the installed test plugin contributes: it scores the learning rate, no tensors needed. */
export const INSTALLED_TASK = 'installed/lr';

/** A plugin module (no imports, so it loads from any directory) whose name is `name` and whose version comes from its package.json. */
export function pluginSource(name: string): string {
  return `export default { name: ${JSON.stringify(name)}, apiVersion: '1.0', tasks: [{ id: '${INSTALLED_TASK}',
  meta: { summary: 'scores the learning rate' },
  create() { return { async evaluate(items) { return items.map((item) => ({ status: 'ok', score: 1 / (1 + item.genome.lr), metrics: {}, stepsCompleted: item.steps })); } }; } }] };\n`;
}

/** A fresh project directory. */
export function project(): string {
  return mkdtempSync(join(tmpdir(), 'evopt-worker-project-'));
}

/** Installs package `name` at `version` under `dir`/node_modules, its entry `source` (by default the test plugin named `name`). */
export function install(dir: string, name: string, version: string, source = pluginSource(name)): string {
  const packageDir = join(dir, 'node_modules', ...name.split('/'));
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name, version, type: 'module', main: 'index.mjs' }));
  writeFileSync(join(packageDir, 'index.mjs'), source);
  return packageDir;
}

/** A module that leaves `imported` beside itself when something imports it: proof that it was (or was not) loaded. */
export function tripwire(dir: string, file: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./imported', import.meta.url), 'yes');\n${pluginSource('tripwire')}`,
  );
  return path;
}
