import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import primitivePluginGenerator from '../generators/primitive-plugin.js';
import schedulePluginGenerator from '../generators/schedule-plugin.js';
import taskPluginGenerator from '../generators/task-plugin.js';
import { generateInto, readJson, scratchWorkspace, typecheck } from './workspace.js';

// The other end-to-end tests build each package (tsc -p tsconfig.lib.json, which leaves tests
// out) and run its tests with vitest, which does not check types. This checks the types of all
// three packages, tests included, in one tsc run: their tsconfig.json files differ only in the
// package they cover, so one config over the three stands for three `npm run typecheck`s.
const workspace = scratchWorkspace();
afterAll(() => workspace.remove());

describe('the generated packages, tests included', () => {
  it("type-check under evopt's strict compiler options", async () => {
    await generateInto(workspace.root, primitivePluginGenerator, { name: 'my-terms', directory: 'packages/my-terms' });
    await generateInto(workspace.root, schedulePluginGenerator, {
      name: 'my-schedules',
      directory: 'packages/my-schedules',
    });
    await generateInto(workspace.root, taskPluginGenerator, { name: 'my-tasks', directory: 'packages/my-tasks' });
    const own = readJson<{ extends: string; compilerOptions: unknown; include: string[] }>(
      join(workspace.root, 'packages/my-terms/tsconfig.json'),
    );
    expect(own).toEqual({
      extends: './tsconfig.base.json',
      compilerOptions: { noEmit: true },
      include: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts'],
    });
    writeFileSync(
      join(workspace.root, 'tsconfig.json'),
      JSON.stringify({
        extends: './packages/my-terms/tsconfig.base.json',
        compilerOptions: { noEmit: true },
        include: ['packages/*/src/**/*.ts'],
      }),
    );
    const result = await typecheck('tsconfig.json', workspace.root);
    expect(`${result.stdout}${result.stderr}`).toBe('');
    expect(result.code).toBe(0);
  });
});
