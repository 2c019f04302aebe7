import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import taskPluginGenerator from '../generators/task-plugin.js';
import {
  buildPackage,
  evopt,
  generateInto,
  ok,
  onlyRun,
  scratchWorkspace,
  testPackage,
  type TestResult,
} from './workspace.js';

// A task plugin through the whole path: generated, built, its conformance suite and own tests run,
// then a short evolution that scores every genome on the generated task alone.
const workspace = scratchWorkspace();
const PACKAGE = join(workspace.root, 'packages', 'my-tasks');
const ID = 'my-tasks/logistic';
let tests: TestResult[];

beforeAll(async () => {
  await generateInto(workspace.root, taskPluginGenerator, { name: 'my-tasks', directory: 'packages/my-tasks' });
  await buildPackage(PACKAGE);
  tests = await testPackage(PACKAGE);
});

afterAll(() => workspace.remove());

describe('a task plugin generated in a workspace of its own', () => {
  it("builds, and passes its tests: every conformance rule and the task's own", () => {
    expect(tests.filter((t) => t.status !== 'passed')).toEqual([]);
    for (const rule of [
      'valid-id',
      'options-defaults',
      'outcomes',
      'trains',
      'deterministic',
      'batch-independent',
      'divergence',
    ]) {
      expect(tests.filter((t) => t.fullName.includes(`› ${rule}:`)).length, rule).toBe(1);
    }
    expect(tests.map((t) => t.fullName)).toContain(
      `${ID} marks a learning rate that blows the loss up as diverged, with score −1`,
    );
  });

  it('scores every genome of a short evolution', async () => {
    writeFileSync(
      join(workspace.root, 'evopt.config.ts'),
      [
        "import { defineConfig } from '@evopt/core';",
        '',
        'export default defineConfig({',
        "  preset: 'smoke',",
        "  plugins: ['./packages/my-tasks/dist/index.js'],",
        `  tasks: [{ id: '${ID}', options: { features: 10 } }],`,
        '  ga: { generations: 2, populationSize: 6 },',
        '});',
        '',
      ].join('\n'),
    );
    ok(await evopt(['evolve', '--progress', 'json', '--evaluator', 'inline'], workspace.root), 'evopt evolve');
    const run = onlyRun(workspace.root);
    expect(run.events.at(-1)?.type).toBe('run-finished');
    const records = run.events.flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.task))).toEqual(new Set([ID]));
    const scored = records.filter((r) => r.status === 'ok');
    expect(scored.length).toBeGreaterThan(0);
    // Fitness is validation accuracy plus at most 0.05: the baselines learn the separable data.
    expect(Math.max(...scored.map((r) => r.metrics['valAccuracy'] ?? 0))).toBeGreaterThan(0.8);
    for (const r of scored) expect(r.score).toBeLessThanOrEqual(1.05);
  });
});
