// @ts-check
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isTestFile, layerViolation, readProjects } from './layers.js';

/** @param {string} name @param {string} scope @returns {import('./layers.js').Project} */
const project = (name, scope) => ({ name, dir: `/w/${name}`, scope, dependencies: [] });
const core = project('@evopt/core', 'scope:core');
const tfjs = project('@evopt/tfjs', 'scope:tfjs');
const testing = project('@evopt/testing', 'scope:testing');
const vision = project('@evopt/plugin-vision', 'scope:plugin');
const primitives = project('@evopt/plugin-primitives', 'scope:plugin');
const app = project('evopt', 'scope:app');
const bench = project('@evopt/bench', 'scope:tools');

describe('the layers', () => {
  it('keep core free of every other project', () => {
    for (const to of [tfjs, testing, vision, app])
      expect(layerViolation(core, to, false)).toMatch(/@evopt\/core \(scope:core\) may not import/);
    expect(layerViolation(core, vision, true)).toMatch(/tests of @evopt\/core/);
  });

  it('let plugins import packages only, and the test kit and other plugins only from tests', () => {
    expect(layerViolation(vision, core, false)).toBeUndefined();
    expect(layerViolation(vision, tfjs, false)).toBeUndefined();
    expect(layerViolation(vision, testing, false)).toMatch(/only its tests may/);
    expect(layerViolation(vision, primitives, false)).toMatch(/may not import @evopt\/plugin-primitives/);
    expect(layerViolation(vision, testing, true)).toBeUndefined();
    expect(layerViolation(vision, primitives, true)).toBeUndefined();
    expect(layerViolation(vision, app, true)).toMatch(/may not import evopt \(scope:app\)/);
  });

  it('keep the test kits out of the app at run time, and let tools import anything', () => {
    expect(layerViolation(app, vision, false)).toBeUndefined();
    expect(layerViolation(app, testing, false)).toMatch(/only its tests may/);
    expect(layerViolation(app, testing, true)).toBeUndefined();
    for (const to of [core, testing, vision, app]) expect(layerViolation(bench, to, false)).toBeUndefined();
  });

  it('tell tests and fixtures from shipped code', () => {
    for (const file of [
      '/w/a/src/x.test.ts',
      '/w/a/src/e2e/run.ts',
      '/w/a/src/__fixtures__/f.ts',
      '/w/a/test-fixtures/p.js',
    ]) {
      expect(isTestFile(file), file).toBe(true);
    }
    for (const file of ['/w/a/src/testing.ts', '/w/a/src/latest/x.ts']) expect(isTestFile(file), file).toBe(false);
  });
});

describe('readProjects', () => {
  /** @type {string[]} */
  const dirs = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** @param {Record<string, object>} manifests folder → package.json */
  function workspace(manifests) {
    const root = mkdtempSync(join(tmpdir(), 'evopt-layers-'));
    dirs.push(root);
    for (const [folder, manifest] of Object.entries(manifests)) {
      mkdirSync(join(root, folder), { recursive: true });
      writeFileSync(join(root, folder, 'package.json'), JSON.stringify(manifest));
    }
    return root;
  }

  it('reads names, folders, scopes and runtime dependencies', () => {
    const root = workspace({
      'packages/core': { name: '@x/core', nx: { tags: ['scope:core'] } },
      'apps/cli': {
        name: 'cli',
        dependencies: { '@x/core': '1' },
        devDependencies: { vitest: '4' },
        nx: { tags: ['scope:app', 'bench'] },
      },
    });
    expect(readProjects(root)).toEqual([
      { name: '@x/core', dir: join(root, 'packages/core'), scope: 'scope:core', dependencies: [] },
      { name: 'cli', dir: join(root, 'apps/cli'), scope: 'scope:app', dependencies: ['@x/core'] },
    ]);
  });

  it('refuses a project without exactly one known scope tag, naming its manifest', () => {
    expect(() => readProjects(workspace({ 'tools/t': { name: 't', nx: { tags: ['bench'] } } }))).toThrow(
      /tools\/t\/package\.json: a project needs exactly one scope tag.*found none/,
    );
    expect(() =>
      readProjects(workspace({ 'tools/t': { name: 't', nx: { tags: ['scope:tools', 'scope:app'] } } })),
    ).toThrow(/found scope:tools, scope:app/);
    expect(() => readProjects(workspace({ 'tools/t': { name: 't', nx: { tags: ['scope:misc'] } } }))).toThrow(
      /unknown scope tag "scope:misc"/,
    );
  });

  it('finds a scope for every project of this workspace', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const names = readProjects(root).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '@evopt/core',
        '@evopt/tfjs',
        '@evopt/testing',
        '@evopt/testing-tfjs',
        '@evopt/plugin-quadratic',
        'evopt',
        '@evopt/layers',
      ]),
    );
  });
});
