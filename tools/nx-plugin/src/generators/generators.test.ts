import { readFileSync } from 'node:fs';
import { PLUGIN_API_VERSION } from '@evopt/core';
import { logger, type Tree } from '@nx/devkit';
import { createTree } from '@nx/devkit/testing';
import { describe, expect, it, vi } from 'vitest';
import { EVOPT_COMPILER_OPTIONS } from '../lib/package-files.js';
import { TOOL_VERSIONS } from '../lib/versions.js';
import primitivePluginGenerator from './primitive-plugin.js';
import schedulePluginGenerator from './schedule-plugin.js';
import taskPluginGenerator from './task-plugin.js';

const repoFile = (path: string) => readFileSync(new URL(`../../../../${path}`, import.meta.url), 'utf8');
const repoJson = <T>(path: string) => JSON.parse(repoFile(path)) as T;
const CORE_VERSION = repoJson<{ version: string }>('packages/core/package.json').version;

/** An empty workspace without a formatter, like evopt's (createTree() adds a .prettierrc). */
function emptyTree(): Tree {
  const tree = createTree();
  tree.delete('.prettierrc');
  return tree;
}

type Json = Record<string, unknown> & { scripts: Record<string, string>; devDependencies: Record<string, string> };

/** The files the generator created, path → content, relative to `root`. */
function created(tree: Tree, root: string): Record<string, string> {
  const files = tree.listChanges().filter((c) => c.type === 'CREATE' && c.path.startsWith(`${root}/`));
  return Object.fromEntries(
    files
      .map((c) => [c.path.slice(root.length + 1), c.content?.toString('utf8') ?? ''])
      .sort(([a], [b]) => (a as string).localeCompare(b as string)),
  );
}

const json = (files: Record<string, string>, path: string) => JSON.parse(files[path] ?? 'null') as Json;

const COMMON = [
  'README.md',
  'package.json',
  'src/conformance.test.ts',
  'src/index.ts',
  'tsconfig.base.json',
  'tsconfig.json',
  'tsconfig.lib.json',
];

describe.each([
  {
    kind: 'primitive',
    generate: primitivePluginGenerator,
    name: 'my-terms',
    id: 'my-terms/clipped-adam',
    own: ['src/clipped-adam.test.ts', 'src/clipped-adam.ts'],
    zod: true,
  },
  {
    kind: 'schedule',
    generate: schedulePluginGenerator,
    name: 'my-schedules',
    id: 'my-schedules/exp-decay',
    own: ['src/exp-decay.test.ts', 'src/exp-decay.ts'],
    zod: false,
  },
  {
    kind: 'task',
    generate: taskPluginGenerator,
    name: 'my-tasks',
    id: 'my-tasks/logistic',
    own: ['src/logistic-data.ts', 'src/logistic.test.ts', 'src/logistic.ts'],
    zod: true,
  },
])('$kind-plugin in a workspace of its own', ({ kind, generate, name, id, own, zod }) => {
  const tree = emptyTree();
  const ready = generate(tree, { name, directory: `packages/${name}` });
  const files = async () => {
    await ready;
    return created(tree, `packages/${name}`);
  };

  it('creates the package, its plugin entry, the example, its tests and a README, and nothing else', async () => {
    expect(Object.keys(await files()).sort()).toEqual([...COMMON, ...own].sort());
    expect(tree.listChanges().every((c) => c.path.startsWith(`packages/${name}/`))).toBe(true);
  });

  it('fills in every template value', async () => {
    for (const [path, text] of Object.entries(await files())) {
      expect(path).not.toMatch(/__\w+__|\.template$/);
      expect(text, path).not.toMatch(/<%|%>/);
    }
  });

  it(`writes a plugin entry named after the package, targeting plugin API ${PLUGIN_API_VERSION}, contributing "${id}"`, async () => {
    const index = (await files())['src/index.ts'];
    expect(index).toContain(`name: '${name}',`);
    expect(index).toContain(`apiVersion: '${PLUGIN_API_VERSION}',`);
    expect(index).toMatch(new RegExp(`${kind}s: \\[\\w+\\]`));
    expect((await files())[own.find((f) => !f.includes('.test.') && !f.includes('-data')) ?? '']).toContain(
      `id: '${id}',`,
    );
    expect((await files())['src/conformance.test.ts']).toContain(`test${kind[0]?.toUpperCase()}${kind.slice(1)}(`);
  });

  it('writes an ESM package.json with @evopt/core as a peer and the tools it needs to build and test', async () => {
    const pkg = json(await files(), 'package.json');
    expect(pkg).toMatchObject({
      name,
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist'],
      peerDependencies: { '@evopt/core': `^${CORE_VERSION}` },
      scripts: { build: 'tsc -p tsconfig.lib.json', typecheck: 'tsc -p tsconfig.json --noEmit', test: 'vitest run' },
    });
    expect(pkg.devDependencies).toMatchObject({
      '@evopt/core': `^${CORE_VERSION}`,
      '@evopt/testing': `^${CORE_VERSION}`,
      typescript: TOOL_VERSIONS.typescript,
      vitest: TOOL_VERSIONS.vitest,
    });
    expect(pkg['dependencies']).toEqual(zod ? { zod: TOOL_VERSIONS.zod } : undefined);
    expect(pkg.scripts['lint']).toBeUndefined();
    expect(pkg['nx']).toBeUndefined();
  });

  it("compiles with evopt's own compiler options, from a tsconfig.base.json of its own", async () => {
    const f = await files();
    expect(json(f, 'tsconfig.base.json')).toEqual({ compilerOptions: EVOPT_COMPILER_OPTIONS });
    expect(json(f, 'tsconfig.json')['extends']).toBe('./tsconfig.base.json');
    expect(json(f, 'tsconfig.lib.json')).toMatchObject({
      extends: './tsconfig.base.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
    });
  });

  it('refuses to run again over the package it wrote', async () => {
    await files();
    await expect(generate(tree, { name, directory: `packages/${name}` })).rejects.toThrow(
      /already exists and is not empty/,
    );
  });
});

describe('after writing', () => {
  it('says what to do next: install, build and test, and name the plugin in evopt.config.ts', async () => {
    const info = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
    try {
      const callback = await primitivePluginGenerator(emptyTree(), {
        name: '@acme/my-terms',
        directory: 'packages/terms',
      });
      expect(info).not.toHaveBeenCalled();
      await callback();
      const text = info.mock.calls.map((call) => String(call[0])).join('\n');
      expect(text).toContain('contributing the primitive "my-terms/clipped-adam"');
      expect(text).toContain('cd packages/terms && npm run build && npm test');
      expect(text).toContain("'@acme/my-terms' (or './packages/terms/dist/index.js')");
    } finally {
      info.mockRestore();
    }
  });
});

describe('names', () => {
  it('threads a scoped package name and a chosen example name through ids, files and exports', async () => {
    const tree = emptyTree();
    await primitivePluginGenerator(tree, { name: '@acme/evopt-plugin-lion', primitiveName: 'lion-step' });
    const files = created(tree, 'plugins/evopt-plugin-lion');
    expect(Object.keys(files)).toContain('src/lion-step.ts');
    expect(files['src/lion-step.ts']).toContain("id: 'lion/lion-step',");
    expect(files['src/lion-step.ts']).toContain('export const lionStep = definePrimitive<LionStepOptions>(');
    expect(files['src/index.ts']).toContain("name: '@acme/evopt-plugin-lion',");
    expect(files['src/conformance.test.ts']).toContain(
      "expect(registries.primitives.ids()).toEqual(['lion/lion-step']);",
    );
  });

  it("writes a task package whose tests can train genomes with evopt's own primitives and schedules", async () => {
    const tree = emptyTree();
    await taskPluginGenerator(tree, { name: 'my-tasks' });
    const pkg = json(created(tree, 'plugins/my-tasks'), 'package.json');
    expect(Object.keys(pkg.devDependencies)).toEqual(
      expect.arrayContaining(['@evopt/plugin-primitives', '@evopt/plugin-schedules']),
    );
  });
});

describe('inside the evopt repository', () => {
  it("uses the workspace versions, the root tsconfig.base.json and eslint, and evopt's nx tags", async () => {
    const tree = emptyTree();
    tree.write('packages/core/package.json', JSON.stringify({ name: '@evopt/core', version: '0.7.0' }));
    tree.write('tsconfig.base.json', '{}');
    await schedulePluginGenerator(tree, { name: 'my-schedules' });
    const files = created(tree, 'plugins/my-schedules');
    expect(Object.keys(files)).not.toContain('tsconfig.base.json');
    expect(json(files, 'tsconfig.lib.json')['extends']).toBe('../../tsconfig.base.json');
    const pkg = json(files, 'package.json');
    expect(pkg).toMatchObject({
      peerDependencies: { '@evopt/core': '^0.7.0' },
      devDependencies: { '@evopt/core': '0.7.0', '@evopt/testing': '0.7.0' },
      scripts: { lint: 'eslint src' },
      nx: { tags: ['scope:plugin'] },
      repository: { type: 'git', directory: 'plugins/my-schedules' },
    });
    expect(pkg.devDependencies['typescript']).toBeUndefined();
  });
});

describe('kept in step with the repository', () => {
  it('pins the tool versions of the root package.json, and zod as @evopt/core does', () => {
    const root = repoJson<{ devDependencies: Record<string, string> }>('package.json').devDependencies;
    const core = repoJson<{ dependencies: Record<string, string> }>('packages/core/package.json').dependencies;
    expect(TOOL_VERSIONS).toEqual({
      '@types/node': root['@types/node'],
      typescript: root['typescript'],
      vitest: root['vitest'],
      zod: core['zod'],
    });
  });

  it('writes the compiler options of the root tsconfig.base.json', () => {
    expect(EVOPT_COMPILER_OPTIONS).toEqual(
      repoJson<{ compilerOptions: unknown }>('tsconfig.base.json').compilerOptions,
    );
  });
});
