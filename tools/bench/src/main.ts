/**
 * `npm run bench`: the figures behind docs/PERFORMANCE.md. It prints each measurement and the
 * ratios that matter; nothing here asserts a speed (timed tests are flaky, figures are not).
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  baselineGenome,
  buildRegistries,
  canonicalize,
  createGenomeSpace,
  EventBus,
  GeneticEngine,
  genomeHash,
  InlineEvaluator,
  Journal,
  paper,
  randomGenome,
  Rng,
  WorkerPoolEvaluator,
  type EvaluationRequest,
  type EvaluationSink,
} from '@evopt/core';

const STEPS = Number(process.env["EVOPT_BENCH_STEPS"] ?? 2000);
const PLUGINS = ['@evopt/plugin-primitives', '@evopt/plugin-schedules', '@evopt/plugin-selection', '@evopt/testing/plugin'];

function time<T>(fn: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

const line = (name: string, value: string) => console.log(`${name.padEnd(52)} ${value}`);

async function main(): Promise<void> {
  console.log(`evopt bench · node ${process.version} · ${cpus().length} cores · ${cpus()[0]?.model ?? 'unknown cpu'}`);
  const { registries } = await buildRegistries(PLUGINS, process.cwd(), [new URL('.', import.meta.url).pathname]);
  const selection = registries.selections.get('tournament').create({ k: paper.PAPER_GA.tournamentSize });
  const space = createGenomeSpace(registries, { primitives: null, schedules: null, maxTerms: 4 });
  const seeds = ['sgd-momentum', 'adam', 'adamw', 'rmsprop'].map(baselineGenome);

  // 1. The GA engine alone at the paper's size: it must never be what a run waits for.
  const generations = 50;
  const ga = time(() => {
    const engine = GeneticEngine.create({ ...paper.PAPER_GA, generations }, { space, selection, lookups: registries, seeds }, 1);
    const rng = Rng.fromSeed(2);
    while (!engine.done) engine.tell(new Map(engine.ask().map((e) => [e.hash, rng.float()])));
    return engine;
  });
  line('GA engine, population 50, 50 generations', `${(ga.seconds * 1000).toFixed(0)} ms (${((ga.seconds / generations) * 1000).toFixed(2)} ms/generation)`);

  // 2. Canonicalisation and hashing, done for every bred child.
  const rng = Rng.fromSeed(3);
  const genomes = Array.from({ length: 20_000 }, () => randomGenome(space, rng));
  const hashing = time(() => genomes.map((g) => genomeHash(canonicalize(g, registries), registries)));
  line('canonicalize + hash', `${(genomes.length / hashing.seconds).toFixed(0)} genomes/s`);

  // 3. The journal: buffered appends versus fsync'd ones (evaluation records are fsync'd).
  const dir = mkdtempSync(join(tmpdir(), 'evopt-bench-'));
  try {
    const journal = Journal.open(join(dir, 'events.jsonl'));
    const bus = new EventBus();
    const event = bus.emit({ type: 'warning', code: 'BENCH', message: 'x'.repeat(400) });
    const plain = time(() => { for (let i = 0; i < 5000; i++) journal.append(event); });
    const durable = time(() => { for (let i = 0; i < 300; i++) journal.append(event, { durable: true }); });
    journal.close();
    line('journal append (buffered)', `${(5000 / plain.seconds).toFixed(0)} events/s`);
    line('journal append (fsync, per evaluation record)', `${(300 / durable.seconds).toFixed(0)} events/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // 4. Evaluators on the test-double task: the worker pool's overhead and scaling.
  const taskOptions = { 'testing/quadratic': {} };
  const requests: EvaluationRequest[] = genomes.slice(0, 64).map((genome, i) => {
    const canonical = canonicalize(genome, registries);
    return { genome: canonical, hash: genomeHash(canonical, registries), task: 'testing/quadratic', seedIndex: 0, steps: STEPS, seed: i };
  });
  const sink: EvaluationSink = { started: () => {}, progress: () => {}, finished: () => {} };
  const context = { registries, pluginUrls: [] as string[], taskOptions, dataDir: dir, log: () => {} };
  const inline = new InlineEvaluator(context);
  const inlineRun = await timeAsync(() => inline.evaluate(requests, sink));
  await inline.close();
  line(`inline evaluator, ${requests.length} evaluations × ${STEPS} steps`, `${(requests.length / inlineRun.seconds).toFixed(1)} evaluations/s`);
  const { plugins } = await buildRegistries(PLUGINS, process.cwd(), [new URL('.', import.meta.url).pathname]);
  const workers = Math.max(1, cpus().length);
  const pool = new WorkerPoolEvaluator({ workers }, { ...context, pluginUrls: plugins.map((p) => p.url) });
  await pool.evaluate(requests.slice(0, workers), sink); // start-up: plugin loading per worker
  const poolRun = await timeAsync(() => pool.evaluate(requests, sink));
  await pool.close();
  line(`worker pool (${workers} workers), same evaluations`, `${(requests.length / poolRun.seconds).toFixed(1)} evaluations/s`);
  line('ratio worker pool / inline', `${(inlineRun.seconds / poolRun.seconds).toFixed(2)}× (ideal ${workers}×)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
