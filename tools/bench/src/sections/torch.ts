import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One line of torch_ref.py's output. */
export interface TorchResult {
  readonly steps_per_s: number;
  readonly val_acc: number;
  readonly fitness: number;
}

const PYTHON = '/usr/bin/python3';

/** ../shared/bench/torch_ref.py beside the repository, or $EVOPT_TORCH_REF. */
export function torchReference(): string | null {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  const path = process.env['EVOPT_TORCH_REF'] ?? join(repo, '..', 'shared', 'bench', 'torch_ref.py');
  return existsSync(path) ? path : null;
}

/** Why the PyTorch reference cannot run here, or null when it can. */
export function torchUnavailable(): string | null {
  if (!torchReference()) return 'torch_ref.py not found (set EVOPT_TORCH_REF to ../shared/bench/torch_ref.py)';
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? null : 'python3-torch is not installed (apt-get install -y python3-torch)';
}

export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/** Runs the PyTorch reference trainer with a flat genome (its own input format) on 2 threads. */
export function runTorch(
  genome: Record<string, unknown>,
  model: 'cnn' | 'mlp' | 'cifar',
  steps: number,
  seed = 0,
): TorchResult {
  const file = join(mkdtempSync(join(tmpdir(), 'evopt-torch-')), 'genome.json');
  writeFileSync(file, JSON.stringify(genome));
  const args = [
    torchReference() as string,
    '--digits',
    mnistDigitsDir(),
    '--genome',
    file,
    '--model',
    model,
    '--steps',
    String(steps),
    '--threads',
    '2',
    '--seed',
    String(seed),
  ];
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 600_000 });
  if (run.status !== 0) throw new Error(`torch_ref.py failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as TorchResult;
}
