import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EvoptError, ReferenceOptimizer, type Genome } from '@evopt/core';
import { commandRuns, probeTool } from '@evopt/testing';
import { fixedData, GENOMES, registries, STEPS, worstRelativeError } from './__fixtures__/genomes.js';
import { EXPORT_PRIMITIVES, exportGenome } from './index.js';

// The first Python with torch (Debian's python3-torch is in /usr/bin/python3, not in a pyenv or venv python3
// on the PATH), else the first that runs, which can still check the files' syntax.
const PYTHONS = ['python3', '/usr/bin/python3'];
const TORCH_PYTHON = PYTHONS.find((python) => commandRuns(python, ['-c', 'import torch']) === true);
const PYTHON = TORCH_PYTHON ?? PYTHONS.find((python) => commandRuns(python, ['--version']) === true) ?? 'python3';
// Without torch the numeric check is skipped, visibly; EVOPT_REQUIRE_TORCH=1 (CI) makes that a failure.
const hasPython = probeTool({
  name: 'python3',
  found: commandRuns(PYTHON, ['--version']),
  install: 'apt-get install -y python3',
  requireEnv: 'EVOPT_REQUIRE_TORCH',
});
const hasTorch =
  hasPython &&
  probeTool({
    name: `PyTorch for ${PYTHON}`,
    found: TORCH_PYTHON ? true : commandRuns(PYTHON, ['-c', 'import torch']),
    install: 'apt-get install -y python3-torch, or pip install torch',
    requireEnv: 'EVOPT_REQUIRE_TORCH',
  });
const dir = mkdtempSync(join(tmpdir(), 'evopt-export-py-'));

/** Loads the generated file, steps it over the given gradients in float64, prints the weights as JSON. */
const DRIVER = `
import importlib.util, json, sys
import torch
spec = importlib.util.spec_from_file_location("exported", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
data = json.load(open(sys.argv[2]))
params = [torch.nn.Parameter(torch.tensor(w, dtype=torch.float64)) for w in data["initial"]]
optimizer = module.EvolvedOptimizer(params, total_steps=data["steps"])
for grads in data["gradients"]:
    for p, g in zip(params, grads):
        p.grad = torch.tensor(g, dtype=torch.float64)
    optimizer.step()
print(json.dumps([p.detach().tolist() for p in params]))
`;

function referenceWeights(genome: Genome): number[][] {
  const { initial, gradients } = fixedData();
  const optimizers = initial.map(() => new ReferenceOptimizer(genome, registries, STEPS));
  let weights = initial;
  for (const grads of gradients)
    weights = weights.map((w, i) => (optimizers[i] as ReferenceOptimizer).update(w, grads[i] as number[]));
  return weights;
}

describe('export --to pytorch', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the genome's PyTorch file and returns its path. */
  function exported(name: string, genome: Genome): string {
    const file = join(dir, `${name.replaceAll('-', '_')}.py`);
    writeFileSync(file, exportGenome(genome, 'pytorch', registries));
    return file;
  }

  it.skipIf(!hasPython)('writes Python that compiles, for every genome', () => {
    const files = Object.entries(GENOMES).map(([name, genome]) => exported(name, genome));
    execFileSync(PYTHON, ['-m', 'py_compile', ...files]);
  });

  for (const [name, genome] of Object.entries(GENOMES)) {
    it.skipIf(!hasTorch)(
      `computes the same weights as evopt's ReferenceOptimizer for ${name} over ${STEPS} steps`,
      () => {
        const file = exported(name, genome);
        const data = join(dir, `${name}.json`);
        writeFileSync(data, JSON.stringify({ steps: STEPS, ...fixedData() }));
        writeFileSync(join(dir, 'driver.py'), DRIVER);
        const actual = JSON.parse(
          execFileSync(PYTHON, [join(dir, 'driver.py'), file, data], { encoding: 'utf8' }),
        ) as number[][];
        const expected = referenceWeights(genome);
        expect(worstRelativeError(actual, expected)).toBeLessThanOrEqual(1e-4);
        expect(worstRelativeError(expected, fixedData().initial)).toBeGreaterThan(1e-3);
      },
    );
  }

  it('starts with the simplified formula and hyperparameters', () => {
    const lines = exportGenome(GENOMES['paper-evolved'] as Genome, 'pytorch', registries).split('\n');
    expect(lines[0]).toMatch(/^# Evolved optimizer [0-9a-f]{12}, exported by evopt\.$/);
    expect(lines[2]).toBe('#   update: w ← w − η·(3.64·m/(√v+ε) + 0.73·sign(g))');
    expect(lines[3]).toMatch(
      /^# {3}lr 1\.2e-3 · β1 0\.855 · β2 0\.936 · ε 5\.4e-9 · wd 9\.7e-4 · no bias correction · warmup-cosine\(warmupSteps=100\)$/,
    );
  });
});

describe('export errors and json', () => {
  const withLion = (genome: Genome): Genome => ({
    ...genome,
    terms: [...genome.terms, { primitive: 'my-terms/lion', alpha: 1 }],
  });

  it('names a primitive it has no code for and lists what export supports; json needs no code', () => {
    expect(JSON.parse(exportGenome(withLion(GENOMES.adam as Genome), 'json', registries))).toMatchObject({
      genome: { terms: expect.arrayContaining([expect.objectContaining({ primitive: 'my-terms/lion' })]) },
    });
    for (const target of ['tfjs', 'pytorch'] as const) {
      let error: unknown;
      try {
        exportGenome(withLion(GENOMES.adam as Genome), target, registries);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(EvoptError);
      expect(error).toMatchObject({ code: 'GENOME_INVALID', details: { unsupported: ['my-terms/lion'] } });
      expect((error as Error).message).toMatch(
        /"my-terms\/lion".*grad, momentum, rms, adam, sign, unit, nesterov, sign-m, lion, powersign, addsign, adabelief/,
      );
    }
  });

  it('has code for every built-in primitive', () => {
    expect([...EXPORT_PRIMITIVES].sort()).toEqual(registries.primitives.ids());
  });

  it('names a schedule it has no code for', () => {
    const genome = { ...(GENOMES.adam as Genome), schedule: { id: 'my/cyclic', params: {} } };
    expect(() => exportGenome(genome, 'tfjs', registries)).toThrow(
      /schedule "my\/cyclic".*constant, warmup, cosine, warmup-cosine, step, linear/,
    );
  });

  it('writes the canonical genome with its hash and formula as json', () => {
    const json = JSON.parse(exportGenome(GENOMES['paper-evolved'] as Genome, 'json', registries)) as {
      schema: string;
      hash: string;
      formula: string;
      genome: Genome;
    };
    expect(json.schema).toBe('evopt.genome/1');
    expect(json.hash).toMatch(/^[0-9a-f]{12}$/);
    expect(json.formula).toBe('3.64·m/(√v+ε) + 0.73·sign(g)');
    expect(json.genome.terms.map((t) => t.primitive)).toEqual(['adam', 'sign']);
  });
});
