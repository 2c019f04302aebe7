import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree.js';
import { describe, expect, it } from 'vitest';
import primitivePluginGenerator from '../generators/primitive-plugin.js';
import schedulePluginGenerator from '../generators/schedule-plugin.js';
import taskPluginGenerator from '../generators/task-plugin.js';
import { node, NX, ok, readJson, REPO_ROOT } from './workspace.js';

// Generating inside this repository: an nx FsTree over the real checkout, never flushed, and the
// real `nx g --dry-run`. Neither writes a file. The name is one no real package here uses.
const NAME = 'example-terms';
const ROOT = `plugins/${NAME}`;
const CORE_VERSION = readJson<{ version: string }>(join(REPO_ROOT, 'packages/core/package.json')).version;

type Generator = (tree: Tree, schema: { name: string }) => Promise<GeneratorCallback>;

async function generateInRepo(generator: Generator, name = NAME): Promise<Map<string, string>> {
  const tree = new FsTree(REPO_ROOT, false);
  await generator(tree, { name });
  return new Map(tree.listChanges().map((c) => [c.path, c.content?.toString('utf8') ?? '']));
}

describe('generating inside the evopt repository', () => {
  it(`puts the package under ${ROOT}, built and tested like evopt's own plugins`, async () => {
    expect(existsSync(join(REPO_ROOT, ROOT))).toBe(false);
    const files = await generateInRepo(primitivePluginGenerator);
    expect([...files.keys()].every((path) => path.startsWith(`${ROOT}/`))).toBe(true);
    expect([...files.keys()]).not.toContain(`${ROOT}/tsconfig.base.json`);
    const pkg = JSON.parse(files.get(`${ROOT}/package.json`) ?? '{}') as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: NAME,
      peerDependencies: { '@evopt/core': `^${CORE_VERSION}` },
      devDependencies: { '@evopt/core': CORE_VERSION, '@evopt/testing': CORE_VERSION },
      scripts: {
        build: 'tsc -p tsconfig.lib.json',
        typecheck: 'tsc -p tsconfig.json --noEmit',
        lint: 'eslint src',
        test: 'vitest run',
      },
      nx: { tags: ['scope:plugin'] },
    });
    for (const tsconfig of ['tsconfig.json', 'tsconfig.lib.json']) {
      expect(JSON.parse(files.get(`${ROOT}/${tsconfig}`) ?? '{}')).toMatchObject({
        extends: '../../tsconfig.base.json',
      });
    }
    // The FsTree only recorded the changes.
    expect(existsSync(join(REPO_ROOT, ROOT))).toBe(false);
  });

  it("writes code that passes the repository's lint, for every kind", async () => {
    const eslint = new ESLint({ cwd: REPO_ROOT });
    const generators: [string, Generator][] = [
      ['example-terms', primitivePluginGenerator],
      ['example-schedules', schedulePluginGenerator],
      ['example-tasks', taskPluginGenerator],
    ];
    for (const [name, generator] of generators) {
      for (const [path, text] of await generateInRepo(generator, name)) {
        if (!path.endsWith('.ts')) continue;
        const [result] = await eslint.lintText(text, { filePath: join(REPO_ROOT, path) });
        expect(result?.messages.map((m) => `${path}:${m.line} ${m.ruleId}: ${m.message}`) ?? ['not linted']).toEqual(
          [],
        );
      }
    }
  });

  it('is what `nx g @evopt/nx-plugin:primitive-plugin --dry-run` lists, and the dry run writes nothing', async () => {
    const expected = [...(await generateInRepo(primitivePluginGenerator)).keys()].sort();
    const result = ok(
      await node(NX, ['g', '@evopt/nx-plugin:primitive-plugin', NAME, '--dry-run', '--no-interactive'], REPO_ROOT),
      'nx g --dry-run',
    );
    const listed = [...result.stdout.matchAll(/^CREATE (\S+)/gm)].map((m) => m[1]).sort();
    expect(listed).toEqual(expected);
    expect(`${result.stdout}${result.stderr}`).toMatch(/"dryRun" flag means no changes were made/);
    expect(existsSync(join(REPO_ROOT, ROOT))).toBe(false);
  });
});
