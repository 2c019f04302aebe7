import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import schedulePluginGenerator from '../generators/schedule-plugin.js';
import {
  bredGenomes,
  buildPackage,
  evopt,
  generateInto,
  ok,
  onlyRun,
  scratchWorkspace,
  testPackage,
  type TestResult,
} from './workspace.js';

// The generator run programmatically on a workspace of its own (an nx FsTree, flushed to disk,
// as `nx g` does), then built, tested, and used by a short evolution as its only schedule.
const workspace = scratchWorkspace();
const PACKAGE = join(workspace.root, 'packages', 'my-schedules');
const ID = 'my-schedules/exp-decay';
let written: string[];
let tests: TestResult[];

beforeAll(async () => {
  written = await generateInto(workspace.root, schedulePluginGenerator, {
    name: 'my-schedules',
    directory: 'packages/my-schedules',
  });
  await buildPackage(PACKAGE);
  tests = await testPackage(PACKAGE);
});

afterAll(() => workspace.remove());

describe('a schedule plugin generated in a workspace of its own', () => {
  it('writes its files only under the directory it was given', () => {
    expect(written).toContain('packages/my-schedules/src/exp-decay.ts');
    expect(written.every((path) => path.startsWith('packages/my-schedules/'))).toBe(true);
  });

  it("builds, and passes its tests: every conformance rule and the schedule's own", () => {
    expect(tests.filter((t) => t.status !== 'passed')).toEqual([]);
    for (const rule of ['valid-id', 'param-bounds', 'formula-placeholders', 'finite-nonnegative', 'pure']) {
      expect(tests.filter((t) => t.fullName.includes(`› ${rule}:`)).length, rule).toBe(1);
    }
    expect(tests.map((t) => t.fullName)).toContain(`${ID} starts at lr and decays geometrically to final·lr`);
  });

  it('is the only schedule a short evolution breeds with, its param within bounds', async () => {
    writeFileSync(
      join(workspace.root, 'evopt.config.ts'),
      [
        "import { defineConfig } from '@evopt/core';",
        '',
        'export default defineConfig({',
        "  preset: 'smoke',",
        "  plugins: ['./packages/my-schedules/dist/index.js'],",
        `  ga: { schedules: ['${ID}'], baselines: [], generations: 2, populationSize: 4 },`,
        '});',
        '',
      ].join('\n'),
    );
    ok(await evopt(['evolve', '--progress', 'json', '--evaluator', 'inline'], workspace.root), 'evopt evolve');
    const run = onlyRun(workspace.root);
    expect(run.events.at(-1)?.type).toBe('run-finished');
    const schedules = bredGenomes(run.events).map((g) => g.schedule);
    expect(schedules.length).toBe(8);
    for (const schedule of schedules) {
      expect(schedule.id).toBe(ID);
      expect(schedule.params['final']).toBeGreaterThanOrEqual(0.001);
      expect(schedule.params['final']).toBeLessThanOrEqual(1);
    }
  });
});
