import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptError } from '../errors.js';
import { loadConfig, type LoadConfigOptions } from './load.js';

// Inside the repo (gitignored), so a config's `import ... from '@evopt/core'` resolves through
// the workspace's node_modules as it would in a user's project.
const TMP_ROOT = fileURLToPath(new URL('../../.tmp-test/', import.meta.url));
const CORE_DIST = fileURLToPath(new URL('../../dist/config/index.js', import.meta.url));

let root: string;
let counter = 0;
beforeAll(async () => {
  await mkdir(TMP_ROOT, { recursive: true });
  root = await mkdtemp(join(TMP_ROOT, 'load-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh directory holding `files`; fresh paths also sidestep Node's ESM import cache. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = join(root, `p${++counter}`);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

async function failure(options: LoadConfigOptions): Promise<EvoptError> {
  try {
    await loadConfig(options);
  } catch (error) {
    if (isEvoptError(error)) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

const env = {};
const SAMPLE: Record<string, string> = {
  'evopt.config.ts': `import type {} from 'node:fs';\nconst generations: number = 5;\nexport default { preset: 'smoke', ga: { generations } } as const;\n`,
  'evopt.config.mts': `const generations: number = 5;\nexport default { preset: 'smoke', ga: { generations } };\n`,
  'evopt.config.mjs': `export default { preset: 'smoke', ga: { generations: 5 } };\n`,
  'evopt.config.js': `export default { preset: 'smoke', ga: { generations: 5 } };\n`,
  'evopt.config.cjs': `module.exports = { preset: 'smoke', ga: { generations: 5 } };\n`,
  'evopt.config.json': `{ "preset": "smoke", "ga": { "generations": 5 } }\n`,
  'evopt.config.yaml': `preset: smoke\nga:\n  generations: 5\n`,
  'evopt.config.yml': `preset: smoke\nga:\n  generations: 5\n`,
  '.evoptrc.json': `{ "preset": "smoke", "ga": { "generations": 5 } }\n`,
  '.evoptrc.yaml': `preset: smoke\nga:\n  generations: 5\n`,
};

describe('loadConfig file formats', () => {
  it.each(Object.keys(SAMPLE))('loads %s from the working directory', async (name) => {
    const dir = await project({ [name]: SAMPLE[name] ?? '' });
    const { config, filepath, baseDir } = await loadConfig({ cwd: dir, env });
    expect(filepath).toBe(join(dir, name));
    expect(baseDir).toBe(dir);
    expect(config.preset).toBe('smoke');
    expect(config.ga).toMatchObject({ generations: 5, populationSize: 8 });
  });

  it('loads an evopt.config.ts that imports defineConfig from @evopt/core', async () => {
    expect(existsSync(CORE_DIST), 'build @evopt/core first: cd packages/core && npx tsc -p tsconfig.lib.json').toBe(
      true,
    );
    const dir = await project({
      'evopt.config.ts': `import { defineConfig } from '@evopt/core';\nexport default defineConfig({ preset: 'paper', seed: 3, plugins: ['./my-plugin.js'] });\n`,
    });
    const { config } = await loadConfig({ cwd: dir, env });
    expect(config).toMatchObject({ preset: 'paper', seed: 3 });
    expect(config.plugins.at(-1)).toBe('./my-plugin.js');
  });

  it('reads the "evopt" key of package.json, and skips a package.json without one', async () => {
    const withKey = await project({
      'package.json': JSON.stringify({ name: 'x', evopt: { preset: 'smoke', seed: 11 } }),
    });
    expect((await loadConfig({ cwd: withKey, env })).config).toMatchObject({ preset: 'smoke', seed: 11 });
    const without = await project({ 'package.json': '{ "name": "x" }', 'evopt.config.json': '{ "seed": 12 }' });
    const loaded = await loadConfig({ cwd: without, env });
    expect(loaded.filepath).toBe(join(without, 'evopt.config.json'));
    expect(loaded.config.seed).toBe(12);
  });

  it('uses the default preset alone when there is no config file, searching only cwd', async () => {
    const dir = await project({ 'evopt.config.json': '{ "seed": 4 }', 'sub/readme.txt': '' });
    const { config, filepath, baseDir } = await loadConfig({ cwd: join(dir, 'sub'), env });
    expect(filepath).toBeNull();
    expect(baseDir).toBe(join(dir, 'sub'));
    expect(config).toMatchObject({ preset: 'quick', seed: 0, runsDir: join(dir, 'sub', '.evopt/runs') });
  });

  it('treats an empty file as a config with no settings', async () => {
    const dir = await project({ 'evopt.config.yaml': '# nothing yet\n' });
    const { config, filepath } = await loadConfig({ cwd: dir, env });
    expect(filepath).toBe(join(dir, 'evopt.config.yaml'));
    expect(config.preset).toBe('quick');
  });
});

describe('loadConfig with an explicit file and command-line values', () => {
  it('loads --config from elsewhere and anchors its paths at its own directory', async () => {
    const dir = await project({ 'configs/exp.yaml': 'preset: smoke\nrunsDir: runs\nplugins: [./plugin.js]\n' });
    const { config, filepath, baseDir } = await loadConfig({ cwd: dir, configFile: 'configs/exp.yaml', env });
    expect(filepath).toBe(join(dir, 'configs/exp.yaml'));
    expect(baseDir).toBe(join(dir, 'configs'));
    expect(config.runsDir).toBe(join(dir, 'configs/runs'));
    expect(config.plugins.at(-1)).toBe('./plugin.js');
  });

  it("lets overrides beat the file and the preset argument replace the file's preset", async () => {
    const dir = await project({ 'evopt.config.json': '{ "preset": "smoke", "seed": 1, "ga": { "generations": 5 } }' });
    const { config } = await loadConfig({ cwd: dir, env, preset: 'paper', overrides: { seed: 2, ga: { elites: 4 } } });
    expect(config).toMatchObject({ preset: 'paper', seed: 2 });
    expect(config.ga).toMatchObject({ populationSize: 50, generations: 5, elites: 4 });
  });
});

describe('loadConfig errors', () => {
  it("names a malformed JSON file with the parser's message and position", async () => {
    const dir = await project({ 'evopt.config.json': '{ "ga": {\n  "elites": 2 }\n' });
    const error = await failure({ cwd: dir, env });
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(
      /^Cannot load evopt\.config\.json: Expected ',' or '}' after property value in JSON at position \d+ \(line 3, column 1\)/,
    );
    expect(error.details).toMatchObject({ file: join(dir, 'evopt.config.json') });
  });

  it('names a YAML or TypeScript file with a syntax error', async () => {
    const yaml = await project({ 'evopt.config.yaml': 'ga:\n  elites: [\n' });
    expect((await failure({ cwd: yaml, env })).message).toMatch(
      /^Cannot load evopt\.config\.yaml: unexpected end of the stream/,
    );
    const ts = await project({ 'evopt.config.ts': 'export default { ga: { populationSize: 10 }\n' });
    expect((await failure({ cwd: ts, env })).message).toMatch(
      /^Cannot load evopt\.config\.ts: '}' expected\. \(line 2, column 1\)/,
    );
  });

  it('reports a config module that throws, or exports nothing', async () => {
    const throws = await project({ 'evopt.config.mjs': 'throw new Error("no GPU here");\n' });
    expect((await failure({ cwd: throws, env })).message).toContain('Cannot load evopt.config.mjs: no GPU here');
    const bare = await project({ 'evopt.config.ts': 'export const config = { seed: 1 };\n' });
    const error = await failure({ cwd: bare, env });
    expect(error.message).toContain('evopt.config.ts has no default export.');
    expect(error.fix).toContain('export default defineConfig');
  });

  it('names the file and path of an invalid value', async () => {
    const dir = await project({ 'evopt.config.yaml': 'ga:\n  populationSize: 1.5\n' });
    const error = await failure({ cwd: dir, env });
    expect(error.message.split('\n')[0]).toBe(
      'evopt.config.yaml: ga.populationSize: expected integer ≥ 2, found number 1.5',
    );
    expect(error.details).toMatchObject({
      file: join(dir, 'evopt.config.yaml'),
      issues: [{ path: 'ga.populationSize' }],
    });
  });

  it('suggests the intended key for an unknown one in a .ts config', async () => {
    const dir = await project({ 'evopt.config.ts': 'export default { ga: { elite: 2 } };\n' });
    expect((await failure({ cwd: dir, env })).message).toBe(
      'evopt.config.ts: ga.elite: unknown key; did you mean ga.elites?\n' +
        "  fix: Correct the keys listed above in evopt.config.ts; a misspelt key is unknown, and a key you remove falls back to the preset's value.",
    );
  });

  it('refuses elites that fill the population, an unknown preset, and a missing --config', async () => {
    const dir = await project({ 'evopt.config.json': '{ "ga": { "populationSize": 4, "elites": 4 } }' });
    expect((await failure({ cwd: dir, env })).message).toContain(
      'ga.elites: expected fewer elites than ga.populationSize (4), found number 4',
    );
    expect((await failure({ cwd: dir, env, preset: 'turbo' })).message).toContain(
      'Known presets: smoke, quick, paper.',
    );
    const missing = await failure({ cwd: dir, env, configFile: 'nope/evopt.config.ts' });
    expect(missing.code).toBe('CONFIG_NOT_FOUND');
    expect(missing.message).toBe(
      `Config file nope/evopt.config.ts not found (looked at ${join(dir, 'nope/evopt.config.ts')}).\n  fix: ${missing.fix}`,
    );
  });

  it('refuses an explicit file of an unsupported kind or a package.json without "evopt"', async () => {
    const dir = await project({ 'evopt.toml': 'seed = 1\n', 'package.json': '{ "name": "x" }' });
    const toml = await failure({ cwd: dir, env, configFile: 'evopt.toml' });
    expect(toml.message).toContain('Cannot load evopt.toml: No loader specified for extension ".toml"');
    expect(toml.fix).toContain('evopt.config.ts');
    expect((await failure({ cwd: dir, env, configFile: 'package.json' })).message).toContain(
      'package.json has no "evopt" key.',
    );
    const nothing = await project({ 'evopt.config.json': 'null' });
    expect((await failure({ cwd: nothing, env, configFile: 'evopt.config.json' })).message).toContain(
      'evopt.config.json: (root): expected an object, found null',
    );
  });
});
