import { createTree } from '@nx/devkit/testing';
import { isEvoptError } from '@evopt/core';
import { describe, expect, it } from 'vitest';
import { PRIMITIVE_PLUGIN, TASK_PLUGIN } from './kinds.js';
import { isEvoptRepo, namespaceOf, normalizeOptions } from './options.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('namespaceOf', () => {
  it('drops the scope and an "evopt-plugin-" prefix, as evopt\'s plugin validation suggests', () => {
    expect(namespaceOf('my-terms')).toBe('my-terms');
    expect(namespaceOf('@acme/my-terms')).toBe('my-terms');
    expect(namespaceOf('@acme/evopt-plugin-lion')).toBe('lion');
    expect(namespaceOf('evopt-plugin-')).toBe('evopt-plugin-');
  });
});

describe('normalizeOptions', () => {
  it('derives the package root, the namespaced id and the identifiers from the name', () => {
    const options = normalizeOptions(createTree(), { name: '@acme/my-terms' }, PRIMITIVE_PLUGIN);
    expect(options).toMatchObject({
      packageName: '@acme/my-terms',
      namespace: 'my-terms',
      projectRoot: 'plugins/my-terms',
      contribution: {
        name: 'clipped-adam',
        id: 'my-terms/clipped-adam',
        propertyName: 'clippedAdam',
        className: 'ClippedAdam',
      },
      evoptRepo: false,
      skipFormat: false,
    });
  });

  it("takes --directory and the example's name from the kind's own option", () => {
    const options = normalizeOptions(
      createTree(),
      { name: 'my-tasks', directory: './packages/tasks/', taskName: 'two-moons' },
      TASK_PLUGIN,
    );
    expect(options.projectRoot).toBe('packages/tasks');
    expect(options.contribution).toMatchObject({
      id: 'my-tasks/two-moons',
      propertyName: 'twoMoons',
      className: 'TwoMoons',
    });
  });

  it.each([
    [{ name: 'My Terms' }, /npm package name/],
    [{ name: '' }, /npm package name/],
    [{ name: '@acme/1-terms' }, /namespace "1-terms"/],
    [{ name: 'my_terms' }, /namespace "my_terms"/],
    [{ name: 'my-terms', primitiveName: 'Lion' }, /--primitive-name must be lowercase/],
    [{ name: 'my-terms', directory: '../elsewhere' }, /inside the workspace/],
    [{ name: 'my-terms', directory: '/abs/path' }, /inside the workspace/],
  ])('refuses %j with an error that says the fix', (schema, message) => {
    const error = thrown(() => normalizeOptions(createTree(), schema, PRIMITIVE_PLUGIN));
    expect(isEvoptError(error, 'CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(/\n {2}fix: \S/);
  });

  it('refuses a directory that already holds files, and accepts an empty one', () => {
    const tree = createTree();
    tree.write('plugins/my-terms/src/index.ts', 'export {};');
    expect(() => normalizeOptions(tree, { name: 'my-terms' }, PRIMITIVE_PLUGIN)).toThrow(
      /"plugins\/my-terms" already exists and is not empty/,
    );
    expect(normalizeOptions(tree, { name: 'my-terms', directory: 'plugins/other' }, PRIMITIVE_PLUGIN).projectRoot).toBe(
      'plugins/other',
    );
  });
});

describe('isEvoptRepo', () => {
  it('recognises the evopt repository by its packages/core', () => {
    const tree = createTree();
    expect(isEvoptRepo(tree)).toBe(false);
    tree.write('packages/core/package.json', JSON.stringify({ name: 'someone-elses-core' }));
    expect(isEvoptRepo(tree)).toBe(false);
    tree.write('packages/core/package.json', JSON.stringify({ name: '@evopt/core', version: '0.1.0' }));
    expect(isEvoptRepo(tree)).toBe(true);
  });
});
