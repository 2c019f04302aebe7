import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { project, runCli } from './cli.js';

describe('evopt export', () => {
  it('prints the canonical adam genome as json', async () => {
    const result = await runCli(['export', 'adam', '--to', 'json'], project({}));
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { schema: string; hash: string; formula: string; genome: { terms: unknown[]; lr: number; schedule: unknown } };
    expect(json).toMatchObject({ schema: 'evopt.genome/1', formula: '1.00·m/(√v+ε)' });
    expect(json.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(json.genome).toMatchObject({ terms: [{ primitive: 'adam', alpha: 1 }], lr: 1e-3, schedule: { id: 'constant', params: {} } });
  });

  it('reads a run directory\'s best.json and writes --out', async () => {
    const cwd = project({});
    const run = join(cwd, 'runs', 'r1');
    mkdirSync(run, { recursive: true });
    const genome = JSON.parse((await runCli(['export', 'rmsprop', '--to', 'json'], cwd)).stdout) as { genome: unknown };
    writeFileSync(join(run, 'best.json'), JSON.stringify({ hash: 'x', fitness: 0.5, genome: genome.genome }));
    const result = await runCli(['export', 'runs/r1', '--to', 'pytorch', '--out', 'opt.py'], cwd);
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, 'opt.py'), 'utf8')).toMatch(/update: w ← w − η·\(1\.00·g\/\(√v\+ε\)\)[\s\S]*class EvolvedOptimizer\(torch\.optim\.Optimizer\)/);
  });

  it('lists the targets for an unknown --to, and names an unsupported primitive', async () => {
    const cwd = project({});
    const bad = await runCli(['export', 'adam', '--to', 'onnx'], cwd);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/Allowed choices are tfjs, pytorch, json/);
    writeFileSync(join(cwd, 'lion.json'), JSON.stringify({ ...JSON.parse((await runCli(['export', 'adam', '--to', 'json'], cwd)).stdout).genome, terms: [{ primitive: 'my-terms/lion', alpha: 1 }] }));
    const unsupported = await runCli(['export', 'lion.json', '--to', 'tfjs'], cwd);
    expect(unsupported.code).not.toBe(0);
    expect(unsupported.stderr).toMatch(/Cannot export primitive "my-terms\/lion".*grad, momentum, rms, adam, sign, unit, nesterov/);
    expect(unsupported.stderr).not.toMatch(/\n\s+at /);
  });
});
