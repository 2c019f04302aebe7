import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, runCli } from './cli.js';

const LOCAL_PLUGIN = `export default { name: 'evopt-plugin-half', version: '0.3.1', apiVersion: '1.0', primitives: [{
  id: 'half/grad', meta: { summary: 'Half the gradient: T = 0.5·g.' },
  create: () => ({ formula: '0.5·g', apply: ({ g }, ops) => ops.mul(g, 0.5) }) }] };
`;

describe('evopt plugins', () => {
  it("lists each loaded plugin with its version, entry hash and contributions, the config's own plugins included", async () => {
    const cwd = project({ preset: 'smoke', plugins: ['./half.mjs'] });
    writeFileSync(join(cwd, 'half.mjs'), LOCAL_PLUGIN);
    const text = await runCli(['plugins'], cwd);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^@evopt\/core · plugin API 1\.0 · built in/);
    expect(text.stdout).toMatch(
      /evopt-plugin-half 0\.3\.1 · plugin API 1\.0 · from \.\/half\.mjs · entry [0-9a-f]{16}\n {2}primitives\n {4}half\/grad {2}Half the gradient: T = 0\.5·g\./,
    );
    expect(text.stdout).toMatch(/ {4}tournament +Tournament: .*\n +options: k 4/);
    expect(text.stdout).toMatch(/ {4}warmup +Linear warmup.*\n +params: warmupSteps 1–1000 \(100\)/);

    const json = await runCli(['plugins', '--json'], cwd);
    const plugins = JSON.parse(json.stdout) as { name: string; contributions: { kind: string; id: string }[] }[];
    expect(plugins.map((p) => p.name)).toEqual([
      '@evopt/core',
      '@evopt/plugin-primitives',
      '@evopt/plugin-schedules',
      '@evopt/plugin-selection',
      '@evopt/plugin-quadratic',
      'evopt-plugin-half',
    ]);
    expect(plugins.at(-1)?.contributions).toEqual([
      { kind: 'primitive', id: 'half/grad', summary: 'Half the gradient: T = 0.5·g.', options: {} },
    ]);
  });

  it('fails like a run would when a plugin cannot load, naming it', async () => {
    const cwd = project({ preset: 'smoke', plugins: ['./half.mjs'] });
    writeFileSync(join(cwd, 'half.mjs'), LOCAL_PLUGIN.replace("apiVersion: '1.0'", "apiVersion: '2.0'"));
    const result = await runCli(['plugins'], cwd);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Plugin "evopt-plugin-half" targets plugin API 2\.0/);
  });
});
