import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegistries, type LoadedRegistries } from '@evopt/core';
import { INSTALLED_TASK, install, pluginSource, project, tripwire } from './__fixtures__/installed.js';
import { WorkerPlugins, type JobPlugins, type Refusal } from './job-plugins.js';
import { evoptVersion } from './versions.js';

const EVOPT = evoptVersion();
let own: LoadedRegistries;

beforeAll(async () => {
  own = await buildRegistries([], project());
});

/** A worker whose own plugins are core's only, plus `plugins` at these versions, finding others under `dir`. */
function worker(dir: string | undefined, plugins: Record<string, string> = {}, logs: string[] = []): WorkerPlugins {
  const versions = { evopt: EVOPT, plugins };
  return new WorkerPlugins(
    { registries: own.registries, pluginUrls: [], versions },
    dir === undefined ? undefined : { baseDir: dir },
    (m) => logs.push(m),
  );
}

const job = (plugins: Record<string, string>, evopt = EVOPT) => ({ evopt, plugins });

function refused(result: JobPlugins | Refusal): Refusal {
  if (!('mismatch' in result)) throw new Error(`expected a refusal, got plugins ${result.pluginUrls.join(', ')}`);
  return result;
}

function served(result: JobPlugins | Refusal): JobPlugins {
  if ('mismatch' in result) throw new Error(`refused: ${result.mismatch}`);
  return result;
}

describe('plugins a worker loads on demand', () => {
  it('loads a plugin the job names when that version is installed where the worker runs, once', async () => {
    const dir = project();
    const packageDir = install(dir, 'evopt-plugin-installed', '1.0.0');
    const logs: string[] = [];
    const plugins = worker(dir, {}, logs);
    const first = served(await plugins.forJob(job({ 'evopt-plugin-installed': '1.0.0' })));
    expect(first.pluginUrls).toEqual([pathToFileURL(join(packageDir, 'index.mjs')).href]);
    expect(first.registries.tasks.ids()).toContain(INSTALLED_TASK);
    expect(served(await plugins.forJob(job({ 'evopt-plugin-installed': '1.0.0' })))).toBe(first);
    expect(logs).toEqual([
      `plugin evopt-plugin-installed@1.0.0 loaded on demand from ${join(packageDir, 'index.mjs')}`,
    ]);
  });

  it('finds scoped packages too, and needs nothing loaded for a job that lists only its own plugins', async () => {
    const dir = project();
    install(dir, '@acme/evopt-plugin-lr', '0.3.1');
    const plugins = worker(dir, { 'evopt-plugin-own': '2.0.0' });
    expect(served(await plugins.forJob(job({ '@acme/evopt-plugin-lr': '0.3.1' }))).registries.tasks.ids()).toContain(
      INSTALLED_TASK,
    );
    expect(served(await plugins.forJob(job({ 'evopt-plugin-own': '2.0.0' }))).pluginUrls).toEqual([]);
  });

  it('refuses another installed version, naming both and what to install', async () => {
    const dir = project();
    install(dir, 'evopt-plugin-installed', '1.0.0');
    const refusal = refused(await worker(dir).forJob(job({ 'evopt-plugin-installed': '2.0.0' })));
    expect(refusal.mismatch).toBe('evopt-plugin-installed 2.0.0 (job) vs 1.0.0 (worker)');
    expect(refusal.fix).toBe(
      `Install evopt-plugin-installed@2.0.0 where the worker runs (npm install evopt-plugin-installed@2.0.0 in ${dir}), or start it with --config naming a config that loads that version. Then restart the worker.`,
    );
  });

  it('refuses a package that is not installed, and finds it once it is', async () => {
    const dir = project();
    const plugins = worker(dir);
    const refusal = refused(await plugins.forJob(job({ 'evopt-plugin-later': '1.0.0' })));
    expect(refusal.mismatch).toBe('evopt-plugin-later 1.0.0 (job) vs not installed (worker)');
    expect(refusal.fix).toContain('npm install evopt-plugin-later@1.0.0');
    install(dir, 'evopt-plugin-later', '1.0.0');
    expect(served(await plugins.forJob(job({ 'evopt-plugin-later': '1.0.0' }))).registries.tasks.ids()).toContain(
      INSTALLED_TASK,
    );
  });

  it("keeps its own version of a plugin rather than loading the job's from the install", async () => {
    const dir = project();
    install(dir, 'evopt-plugin-own', '1.0.0');
    const refusal = refused(
      await worker(dir, { 'evopt-plugin-own': '2.0.0' }).forJob(job({ 'evopt-plugin-own': '1.0.0' })),
    );
    expect(refusal.mismatch).toBe('evopt-plugin-own 1.0.0 (job) vs 2.0.0 (worker)');
  });

  it('never loads a path or URL that a job names, even where that file exists', async () => {
    const dir = project();
    const file = tripwire(dir, 'evil.mjs');
    const names = [
      './evil.mjs',
      file,
      pathToFileURL(file).href,
      '../evil.mjs',
      'https://example.com/evil.mjs',
      'data:text/javascript,export default 1',
      'node:fs',
      'evil/../../evil.mjs',
    ];
    const plugins = worker(dir);
    for (const name of names) {
      const refusal = refused(await plugins.forJob(job({ [name]: '1.0.0' })));
      expect(refusal.mismatch).toBe(`${name} 1.0.0 (job) vs not a package name (worker)`);
      expect(refusal.fix).toMatch(/only by package name, never from a path or URL: start it with --config/);
    }
    expect(existsSync(join(dir, 'imported'))).toBe(false);
  });

  it('refuses an installed package that is not an evopt plugin, or holds a plugin of another name', async () => {
    const dir = project();
    install(dir, 'not-a-plugin', '1.0.0', 'export const x = 1;\n');
    install(dir, 'evopt-plugin-alias', '1.0.0', pluginSource('evopt-plugin-other'));
    const plugins = worker(dir);
    expect(refused(await plugins.forJob(job({ 'not-a-plugin': '1.0.0' }))).mismatch).toMatch(
      /^not-a-plugin 1\.0\.0 \(job\) vs installed, but not as an evopt plugin: Module .* does not export a plugin\. \(worker\)$/,
    );
    expect(refused(await plugins.forJob(job({ 'evopt-plugin-alias': '1.0.0' }))).mismatch).toBe(
      'evopt-plugin-alias 1.0.0 (job) vs not installed: package evopt-plugin-alias holds plugin "evopt-plugin-other" (worker)',
    );
  });

  it('refuses another engine, and loads nothing on demand without an install to look in', async () => {
    const dir = project();
    install(dir, 'evopt-plugin-installed', '1.0.0');
    const other = refused(await worker(dir).forJob(job({}, '9.9.9')));
    expect(other.mismatch).toBe(`evopt 9.9.9 (job) vs ${EVOPT} (worker)`);
    expect(other.fix).toBe('Run evopt 9.9.9 (its @evopt/core) on this worker.');
    const closed = refused(await worker(undefined).forJob(job({ 'evopt-plugin-installed': '1.0.0' })));
    expect(closed).toEqual({
      mismatch: 'evopt-plugin-installed 1.0.0 (job) vs not loaded (worker)',
      fix: 'Start the worker with evopt-plugin-installed@1.0.0 among its plugins.',
    });
  });

  it('lists every problem of a job at once', async () => {
    const dir = project();
    const refusal = refused(
      await worker(dir, { 'evopt-plugin-own': '2.0.0' }).forJob(
        job({ 'evopt-plugin-own': '1.0.0', 'evopt-plugin-missing': '1.0.0' }),
      ),
    );
    expect(refusal.mismatch).toBe(
      'evopt-plugin-own 1.0.0 (job) vs 2.0.0 (worker); evopt-plugin-missing 1.0.0 (job) vs not installed (worker)',
    );
    expect(refusal.fix).toMatch(/evopt-plugin-own@1\.0\.0.*evopt-plugin-missing@1\.0\.0/);
  });
});
