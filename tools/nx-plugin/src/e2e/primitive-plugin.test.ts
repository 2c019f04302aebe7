import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bredGenomes,
  buildPackage,
  evopt,
  node,
  NX,
  ok,
  onlyRun,
  readJson,
  scratchWorkspace,
  testPackage,
  type TestResult,
} from './workspace.js';

// The whole path of a plugin author outside this repository: `nx g` in a workspace of their own,
// build, the conformance tests, and a short evolution that can only use the generated primitive.
const workspace = scratchWorkspace();
const PACKAGE = join(workspace.root, 'packages', 'my-terms');
const ID = 'my-terms/clipped-adam';
let generated: string;
let tests: TestResult[];

beforeAll(async () => {
  generated = ok(
    await node(
      NX,
      ['g', '@evopt/nx-plugin:primitive-plugin', 'my-terms', '--directory', 'packages/my-terms', '--no-interactive'],
      workspace.root,
    ),
    'nx g',
  ).stdout;
  await buildPackage(PACKAGE);
  tests = await testPackage(PACKAGE);
});

afterAll(() => workspace.remove());

describe('a primitive plugin generated in a workspace of its own', () => {
  it('is written by `nx g @evopt/nx-plugin:primitive-plugin my-terms --directory packages/my-terms`', () => {
    for (const file of [
      'package.json',
      'tsconfig.base.json',
      'src/index.ts',
      'src/clipped-adam.ts',
      'src/conformance.test.ts',
      'README.md',
    ]) {
      expect(generated).toContain(`CREATE packages/my-terms/${file}`);
    }
  });

  it("builds, and passes its tests: every conformance rule, with default and other options, and the term's own", () => {
    expect(tests.filter((t) => t.status !== 'passed')).toEqual([]);
    // Twice each: once with the default options, once with limit 0.01.
    for (const rule of ['valid-id', 'options-defaults', 'finite-output', 'deterministic', 'elementwise']) {
      expect(tests.filter((t) => t.fullName.includes(`› ${rule}:`)).length, rule).toBe(2);
    }
    expect(tests.map((t) => t.fullName)).toContain(`${ID} clips larger steps to ±limit`);
  });

  it('is loaded from evopt.config.ts and is the only term a short evolution breeds with', async () => {
    writeFileSync(
      join(workspace.root, 'evopt.config.ts'),
      [
        "import { defineConfig } from '@evopt/core';",
        '',
        'export default defineConfig({',
        "  preset: 'smoke',",
        "  plugins: ['./packages/my-terms/dist/index.js'],",
        // No baselines: every genome of generation 0 is random, built from the allowed primitives.
        `  ga: { primitives: ['${ID}'], baselines: [], generations: 2, populationSize: 4 },`,
        '});',
        '',
      ].join('\n'),
    );
    const result = ok(
      await evopt(['evolve', '--progress', 'json', '--evaluator', 'inline'], workspace.root),
      'evopt evolve',
    );
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { type: string }).type),
    ).toContain('run-finished');

    const run = onlyRun(workspace.root);
    const genomes = bredGenomes(run.events);
    expect(genomes.length).toBe(8);
    expect(new Set(genomes.flatMap((g) => g.terms.map((t) => t.primitive)))).toEqual(new Set([ID]));
    const finished = run.events.find((e) => e.type === 'run-finished');
    expect(finished?.type === 'run-finished' && finished.best.formula).toMatch(/clip\(m\/\(√v\+ε\), ±1\)/);
    const records = run.events.flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
    expect(records.filter((r) => r.status === 'ok').length).toBeGreaterThan(0);

    // config.json records exactly which plugin code the run used.
    const saved = readJson<{ plugins: { name: string; version: string; specifier: string; entryHash: string }[] }>(
      join(run.dir, 'config.json'),
    );
    const entryHash = createHash('sha256')
      .update(readFileSync(join(PACKAGE, 'dist/index.js')))
      .digest('hex')
      .slice(0, 16);
    expect(saved.plugins.at(-1)).toEqual(
      expect.objectContaining({
        name: 'my-terms',
        version: '0.1.0',
        specifier: './packages/my-terms/dist/index.js',
        entryHash,
      }),
    );
  });
});
