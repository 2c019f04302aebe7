import { readFileSync } from 'node:fs';
import { PLUGIN_API_VERSION } from '@evopt/core';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { createTree } from '@nx/devkit/testing';
import { describe, expect, it } from 'vitest';
import primitivePluginGenerator from './generators/primitive-plugin.js';
import schedulePluginGenerator from './generators/schedule-plugin.js';
import taskPluginGenerator from './generators/task-plugin.js';

// docs/PLUGINS.md shows generated files in fenced blocks tagged with their path
// (```ts path=packages/my-terms/src/index.ts). Each must be exactly what the generator writes
// for the command the tutorial gives, so the tutorial cannot drift from the generator.
const TUTORIAL = readFileSync(new URL('../../../docs/PLUGINS.md', import.meta.url), 'utf8');
const BLOCKS = new Map(
  [...TUTORIAL.matchAll(/^```\w+ path=(\S+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1] as string, m[2] as string]),
);

type Generator = (tree: Tree, schema: { name: string; directory: string }) => Promise<GeneratorCallback>;
const PACKAGES: Record<string, Generator> = {
  'my-terms': primitivePluginGenerator,
  'my-schedules': schedulePluginGenerator,
  'my-tasks': taskPluginGenerator,
};

async function generated(): Promise<Map<string, string>> {
  const tree = createTree();
  tree.delete('.prettierrc'); // a workspace without a formatter, as the tutorial's is
  for (const [name, generator] of Object.entries(PACKAGES))
    await generator(tree, { name, directory: `packages/${name}` });
  return new Map(tree.listChanges().map((c) => [c.path, c.content?.toString('utf8') ?? '']));
}

describe('docs/PLUGINS.md', () => {
  it('shows every file of the generated primitive package but its README', async () => {
    const files = [...(await generated()).keys()].filter(
      (path) => path.startsWith('packages/my-terms/') && !path.endsWith('README.md'),
    );
    expect([...BLOCKS.keys()].filter((path) => path.startsWith('packages/my-terms/')).sort()).toEqual(files.sort());
  });

  it('shows each generated file exactly as the generator writes it', async () => {
    const files = await generated();
    expect(BLOCKS.size).toBeGreaterThanOrEqual(10);
    for (const [path, text] of BLOCKS) {
      expect(files.has(path), `${path} is not a generated file`).toBe(true);
      expect(text, path).toBe(files.get(path));
    }
  });

  it(`gives the plugin API version this evopt implements (${PLUGIN_API_VERSION})`, () => {
    expect(TUTORIAL).toMatch(new RegExp(`this evopt\\s+implements \`${PLUGIN_API_VERSION.replace('.', '\\.')}\``));
  });
});
