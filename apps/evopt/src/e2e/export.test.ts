import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, runCli } from './cli.js';

describe('evopt export', () => {
  it('prints the canonical adam genome as json', async () => {
    const result = await runCli(['export', 'adam', '--to', 'json'], project({}));
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      schema: string;
      hash: string;
      formula: string;
      genome: { terms: unknown[]; lr: number; schedule: unknown };
    };
    expect(json).toMatchObject({ schema: 'evopt.genome/1', formula: '1.00·m/(√v+ε)' });
    expect(json.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(json.genome).toMatchObject({
      terms: [{ primitive: 'adam', alpha: 1 }],
      lr: 1e-3,
      schedule: { id: 'constant', params: {} },
    });
  });

  it("reads a run directory's best.json and writes --out", async () => {
    const cwd = project({});
    const run = join(cwd, 'runs', 'r1');
    mkdirSync(run, { recursive: true });
    const genome = JSON.parse((await runCli(['export', 'rmsprop', '--to', 'json'], cwd)).stdout) as { genome: unknown };
    writeFileSync(join(run, 'best.json'), JSON.stringify({ hash: 'x', fitness: 0.5, genome: genome.genome }));
    const result = await runCli(['export', 'runs/r1', '--to', 'pytorch', '--out', 'opt.py'], cwd);
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, 'opt.py'), 'utf8')).toMatch(
      /update: w ← w − η·\(1\.00·g\/\(√v\+ε\)\)[\s\S]*class EvolvedOptimizer\(torch\.optim\.Optimizer\)/,
    );
  });

  it('lists the targets for an unknown --to, and names an unsupported primitive', async () => {
    const cwd = project({});
    const bad = await runCli(['export', 'adam', '--to', 'onnx'], cwd);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Allowed choices are tfjs, pytorch, json/);
    writeFileSync(
      join(cwd, 'lion.json'),
      JSON.stringify({
        ...JSON.parse((await runCli(['export', 'adam', '--to', 'json'], cwd)).stdout).genome,
        terms: [{ primitive: 'my-terms/lion', alpha: 1 }],
      }),
    );
    const unsupported = await runCli(['export', 'lion.json', '--to', 'tfjs'], cwd);
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toMatch(
      /Cannot export primitive "my-terms\/lion".*grad, momentum, rms, adam, sign, unit, nesterov/,
    );
    expect(unsupported.stderr).not.toMatch(/\n\s+at /);
  });

  it('exports a run by id; an unknown id lists the baselines and the runs, a bad file names its path and field', async () => {
    const cwd = project({});
    const run = join(cwd, '.evopt', 'runs', 'night-1');
    mkdirSync(run, { recursive: true });
    const adam = JSON.parse((await runCli(['export', 'adam', '--to', 'json'], cwd)).stdout) as {
      genome: Record<string, unknown>;
    };
    writeFileSync(
      join(run, 'config.json'),
      JSON.stringify({ schema: 'evopt.run-config/1', config: { tasks: [{ id: 'testing/quadratic' }] } }),
    );
    writeFileSync(
      join(run, 'best.json'),
      JSON.stringify({ hash: 'x', fitness: 0.5, genome: { ...adam.genome, lr: 0.02 } }),
    );
    const byId = await runCli(['export', 'night-1', '--to', 'json'], cwd);
    expect(byId.code).toBe(0);
    expect((JSON.parse(byId.stdout) as { genome: { lr: number } }).genome.lr).toBe(0.02);
    const unknown = await runCli(['export', 'nigth-1', '--to', 'json'], cwd);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"nigth-1" is not a baseline id, a run id, or a file/);
    expect(unknown.stderr).toMatch(/sgd-momentum, adam, adamw, rmsprop, paper-evolved/);
    expect(unknown.stderr).toMatch(/night-1/);
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ ...adam.genome, lr: 'fast' }));
    const bad = await runCli(['export', 'bad.json', '--to', 'json'], cwd);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(join(cwd, 'bad.json'));
    expect(bad.stderr).toMatch(/lr/);
  });

  it("writes a plugin primitive's genome as json, while the code targets name the primitive they lack", async () => {
    const cwd = project({ plugins: ['./half.mjs'] });
    writeFileSync(
      join(cwd, 'half.mjs'),
      `export default { name: 'evopt-plugin-half', apiVersion: '1.0', primitives: [{
      id: 'half/grad', meta: { summary: 'Half the gradient.' }, create: () => ({ formula: '0.5·g', apply: ({ g }, ops) => ops.mul(g, 0.5) }) }] };\n`,
    );
    const adam = JSON.parse((await runCli(['export', 'adam', '--to', 'json'], cwd)).stdout) as {
      genome: Record<string, unknown>;
    };
    writeFileSync(
      join(cwd, 'half.json'),
      JSON.stringify({ ...adam.genome, terms: [{ primitive: 'half/grad', alpha: 2 }] }),
    );
    const json = await runCli(['export', 'half.json', '--to', 'json'], cwd);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      formula: '2.00·0.5·g',
      genome: { terms: [{ primitive: 'half/grad', alpha: 2 }] },
    });
    const code = await runCli(['export', 'half.json', '--to', 'tfjs'], cwd);
    expect(code.code).toBe(2);
    expect(code.stderr).toMatch(/Cannot export primitive "half\/grad"/);
  });
});
