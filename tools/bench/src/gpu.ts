/**
 * `npm run bench:gpu`: the GPU figures of docs/PERFORMANCE.md, for a machine with an NVIDIA GPU and
 * @tensorflow/tfjs-node-gpu working (docs/GPU.md). It measures
 *   1. training steps/s of the SmallCNN and the CIFAR CNN at batch 128 with P = 1, 8 and 32 genomes
 *      trained together (population batching), and genome-steps/s = P × steps/s;
 *   2. genome evaluations per hour of the `paper` preset, from one generation run through the real
 *      CLI (one worker, batches of 8), extrapolated to the whole run.
 * Data: the real datasets when $EVOPT_DATA_DIR holds them, else synthetic files in the real formats
 * (speed does not depend on pixel values; no accuracy is reported).
 *
 *   npm run bench:gpu                          everything (about 10 minutes on an H200)
 *   npm run -s bench:gpu -- --json             one JSON object on stdout
 *   npm run bench:gpu -- --backend wasm --quick   a CPU smoke run of the script itself
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { baselineGenome, BASELINE_GENOMES, buildRegistries, Rng, type Genome } from '@evopt/core';
import { CifarCnn, SmallCnn } from '@evopt/plugin-vision';
import {
  initBackend,
  PopulationGenomeOptimizer,
  StackedModel,
  trainPopulation,
  type BackendChoice,
  type FunctionalModel,
} from '@evopt/tfjs';
import { Report } from './report.js';
import { BENCH_PLUGINS } from './sections/context.js';
import { writeSyntheticDatasets } from './synthetic-data.js';

const BATCH = 128;
const POPULATIONS = [1, 8, 32] as const;
const MODELS = [
  {
    key: 'smallCnn',
    name: 'SmallCNN',
    create: (seed: number): FunctionalModel => new SmallCnn(seed),
    shape: [28, 28, 1],
  },
  {
    key: 'cifarCnn',
    name: 'CIFAR CNN',
    create: (seed: number): FunctionalModel => new CifarCnn(seed),
    shape: [32, 32, 3],
  },
] as const;

interface Flags {
  readonly json: boolean;
  readonly backend: BackendChoice;
  /** A CPU smoke run: P = 1 and 2, few steps, a tiny generation. */
  readonly quick: boolean;
}

function flags(argv: readonly string[]): Flags {
  const at = argv.indexOf('--backend');
  const backend = (at >= 0 ? argv[at + 1] : 'tensorflow') as BackendChoice;
  return { json: argv.includes('--json'), backend, quick: argv.includes('--quick') };
}

/** P genomes of different structure: the paper's baselines and its evolved genome, repeated. */
function populationGenomes(size: number): Genome[] {
  const ids = Object.keys(BASELINE_GENOMES);
  return Array.from({ length: size }, (_, p) => baselineGenome(ids[p % ids.length] as string));
}

async function stepsPerSecond(
  model: (typeof MODELS)[number],
  size: number,
  steps: number,
  registries: Awaited<ReturnType<typeof buildRegistries>>['registries'],
): Promise<number> {
  const template = model.create(1);
  const stacked = new StackedModel(template, size);
  const optimizer = new PopulationGenomeOptimizer(populationGenomes(size), { totalSteps: steps * 2, registries });
  const rng = Rng.fromSeed(3);
  const pixels = Float32Array.from({ length: BATCH * model.shape.reduce((a: number, b: number) => a * b, 1) }, () =>
    rng.normal(),
  );
  const labels = Int32Array.from({ length: BATCH }, () => rng.int(0, 9));
  // A fresh upload every step, as the tasks do.
  const nextBatch = () => ({
    x: tf.tensor4d(pixels, [BATCH, ...model.shape] as [number, number, number, number]),
    y: tf.tensor1d(labels, 'int32'),
  });
  try {
    await trainPopulation({ model: stacked, optimizer, steps: 3, nextBatch }); // warm-up: kernels, autotuning
    const results = await trainPopulation({ model: stacked, optimizer, steps, nextBatch });
    return results[0]?.stepsPerSecond ?? Number.NaN;
  } finally {
    stacked.dispose();
    optimizer.dispose();
    template.dispose();
  }
}

/** Runs one generation of the paper preset through the CLI; evaluations per hour from its journal. */
function paperGeneration(flagsValue: Flags, report: Report): void {
  const repo = fileURLToPath(new URL('../../..', import.meta.url));
  const dataDir = process.env['EVOPT_DATA_DIR'] ?? writeSyntheticDatasets(join(tmpdir(), 'evopt-bench-data'));
  const runsDir = mkdtempSync(join(tmpdir(), 'evopt-bench-gpu-'));
  const population = flagsValue.quick ? 4 : 16;
  const args = [
    join(repo, 'apps/evopt/dist/main.js'),
    'evolve',
    '--preset',
    'paper',
    '--generations',
    '1',
    '--population',
    String(population),
    '--workers',
    '1',
    '--backend',
    flagsValue.backend,
    '--runs-dir',
    runsDir,
    '--run-id',
    'gpu-bench',
    '--progress',
    'json',
    ...(flagsValue.quick ? ['--steps', '5'] : []),
  ];
  const began = performance.now();
  const run = spawnSync(process.execPath, args, {
    cwd: runsDir,
    env: { ...process.env, EVOPT_DATA_DIR: dataDir },
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - began) / 1000;
  if (run.status !== 0) {
    report.note(`paper generation failed (exit ${run.status}): ${run.stderr.split('\n').slice(-5).join(' | ')}`);
    return;
  }
  const events = readFileSync(join(runsDir, 'gpu-bench', 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; time?: string });
  const evaluations = events.filter((e) => e.type === 'evaluation-finished').length;
  const perHour = (evaluations / seconds) * 3600;
  const steps = flagsValue.quick ? 5 : 500;
  report.add(
    'paperEvaluationsPerHour',
    perHour,
    `paper preset, one generation of ${population} genomes (${evaluations} evaluations × ${steps} steps)`,
    `${Math.round(perHour).toLocaleString('en-US')} evaluations/h (${seconds.toFixed(0)} s, start-up included)`,
  );
  // The paper run: 50 genomes, then 47 new ones in each of 49 generations, × 3 tasks × 2 seeds.
  const paperEvaluations = (50 + 49 * 47) * 6;
  const hours = paperEvaluations / perHour;
  report.add(
    'paperRunHours',
    hours,
    `paper preset, whole run extrapolated (one ${flagsValue.backend} worker)`,
    `${hours.toFixed(1)} h for ${paperEvaluations.toLocaleString('en-US')} evaluations`,
  );
  const generationSeconds = ((50 * 6) / perHour) * 3600;
  report.add(
    'paperGenerationSeconds',
    generationSeconds,
    'paper preset, one generation of 50 (the notebook: ≈ 1,629 s on a T4)',
    `${generationSeconds.toFixed(0)} s (${(1629 / generationSeconds).toFixed(1)}× the notebook)`,
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const options = flags(argv);
  const report = new Report(options.json);
  const backend = await initBackend(options.backend, (message) => {
    if (!options.json) console.error(message);
  });
  report.heading(`GPU bench on ${backend.name}: ${backend.devices.join(', ')}`);
  report.add(
    'backend',
    { name: backend.name, devices: backend.devices },
    'backend',
    `${backend.name} (${backend.devices.join(', ')})`,
  );
  const { registries } = await buildRegistries(BENCH_PLUGINS, fileURLToPath(new URL('.', import.meta.url)));
  const steps = options.quick ? 2 : 30;
  for (const model of MODELS) {
    for (const size of options.quick ? [1, 2] : POPULATIONS) {
      const rate = await stepsPerSecond(model, size, steps, registries);
      report.add(
        `${model.key}P${size}StepsPerSecond`,
        rate,
        `${model.name}, batch ${BATCH}, P = ${size}`,
        `${rate.toFixed(2)} steps/s = ${(rate * size).toFixed(1)} genome-steps/s`,
      );
    }
  }
  mkdirSync(tmpdir(), { recursive: true });
  paperGeneration(options, report);
  if (options.json) console.log(JSON.stringify(report.figures, null, 2));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
