// @ts-check
import { describe, expect, it } from 'vitest';
import { findCycles, graphProblems } from './graph.js';

describe('findCycles', () => {
  it('finds none in a layered graph', () => {
    expect(findCycles({ app: ['plugin', 'core'], plugin: ['core'], testing: ['core'], core: [] })).toEqual([]);
  });

  it('finds the testing → tfjs → primitives → testing cycle the kit used to hide', () => {
    const edges = {
      testing: ['core', 'tfjs'],
      tfjs: ['core', 'primitives'],
      primitives: ['core', 'testing'],
      core: [],
    };
    expect(findCycles(edges)).toEqual([['primitives', 'testing', 'tfjs', 'primitives']]);
  });

  it('reports a self-edge and each independent cycle once, as the shortest way round', () => {
    const edges = { a: ['a'], b: ['c'], c: ['b', 'd'], d: ['e'], e: ['c'], f: [] };
    expect(findCycles(edges)).toEqual(
      expect.arrayContaining([
        ['a', 'a'],
        ['b', 'c', 'b'],
      ]),
    );
    expect(findCycles(edges)).toHaveLength(2);
  });
});

describe('graphProblems', () => {
  /** @param {string} name @param {string} scope @param {string[]} [dependencies] */
  const project = (name, scope, dependencies = []) => ({ name, dir: `/w/${name}`, scope, dependencies });

  it('is empty for a healthy workspace', () => {
    const projects = [
      project('core', 'scope:core'),
      project('p', 'scope:plugin', ['core']),
      project('app', 'scope:app', ['p', 'core']),
    ];
    expect(
      graphProblems({
        edges: { app: ['p', 'core'], p: ['core'], core: [] },
        projects,
        implicit: { app: [], p: ['core'] },
      }),
    ).toEqual([]);
  });

  it('names a cycle, a suppressed edge and a runtime dependency across the layers', () => {
    const projects = [
      project('core', 'scope:core'),
      project('kit', 'scope:testing', ['core']),
      project('app', 'scope:app', ['kit']),
    ];
    const problems = graphProblems({
      edges: { core: ['kit'], kit: ['core'], app: ['kit'] },
      projects,
      implicit: { kit: ['!tfjs'] },
    });
    expect(problems).toEqual([
      expect.stringMatching(/^cycle in the project graph: core → kit → core\./),
      expect.stringMatching(/^kit suppresses its edge to tfjs \(implicitDependencies "!tfjs"\)/),
      expect.stringMatching(
        /^app's package\.json dependencies: app \(scope:app\) may not import kit \(scope:testing\) \(only its tests may\)/,
      ),
    ]);
  });
});
