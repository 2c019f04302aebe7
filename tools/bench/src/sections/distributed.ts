import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantile, readJournal, type EvoptEvent } from '@evopt/core';
import { startLocalRedis } from '@evopt/plugin-queue/local-redis';
import type { Report } from '../report.js';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../apps/evopt/dist/main.js');
const REDIS = process.env['REDIS_SERVER'] ?? '/usr/bin/redis-server';
const FLEETS = [1, 2, 4, 8] as const;
const MODES = ['generational', 'steady-state'] as const;

/**
 * The smoke task made slow and uneven: 20 steps with a 10 ms sleep after each (≈ 0.2 s per
 * evaluation), and a genome that diverges stops early, so durations vary as real training's do.
 * The task sleeps rather than computes, so 8 worker processes on 2 cores still measure the queue
 * and the generation barrier, not the CPU.
 */
const CONFIG = {
  preset: 'smoke',
  seed: 11,
  ga: { populationSize: 16, generations: 4, elites: 2 },
  tasks: [{ id: 'testing/quadratic', options: { delayMs: 10, delayPer: 'step' } }],
  evaluation: { steps: 20, seeds: 2 },
};

interface Spawned {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stderr: string }>;
  stderr(): string;
}

function start(command: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): Spawned {
  const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((ok) =>
    child.on('close', (code) => ok({ code, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

async function until(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const began = Date.now();
  while (!predicate()) {
    if (Date.now() - began > timeoutMs) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Mode = 'generational' | 'steady-state';

export interface FleetFigures {
  readonly workers: number;
  readonly mode: Mode;
  /** The run's best fitness (same budget in both modes). */
  readonly bestFitness: number;
  /** `evopt evolve` process wall time, start to exit. */
  readonly wallSeconds: number;
  /** Sum over generations of generation-started → generation-finished. */
  readonly generationSeconds: number;
  readonly evaluations: number;
  readonly evaluationsPerHour: number;
  readonly meanDurationMs: number;
  readonly minDurationMs: number;
  readonly maxDurationMs: number;
  /** Per worker (host:pid): its evaluations' durations / generation time. */
  readonly busy: readonly number[];
  /** 1 − Σ durations / (N × Σ generation wall). */
  readonly barrierLoss: number;
  /** What whole waves of equal jobs predict: 1 − Σ E_g / (N × Σ ⌈E_g / N⌉). */
  readonly waveLoss: number;
  /** Orchestrator's evaluation-started → evaluation-finished, minus durationMs: median and p90. */
  readonly overheadMedianMs: number;
  readonly overheadP90Ms: number;
  /** generation-started → the generation's first evaluation-started. */
  readonly firstDispatchMs: number;
  readonly load: number;
}

/** The figures of one run, from its journal. */
export function analyse(
  events: readonly EvoptEvent[],
  workers: number,
  mode: Mode,
  wallSeconds: number,
  load: number,
): FleetFigures {
  const ms = (time: string): number => Date.parse(time);
  const generationStart = new Map<number, number>();
  let generationMs = 0;
  let current = -1;
  const perGeneration = new Map<number, number>();
  const started = new Map<string, number>();
  const overheads: number[] = [];
  const durations: number[] = [];
  const busyMs = new Map<string, number>();
  const firstDispatch: number[] = [];
  let bestFitness = Number.NaN;
  for (const event of events) {
    if (event.type === 'run-finished') bestFitness = event.best.fitness;
    if (event.type === 'generation-started') {
      current = event.generation;
      generationStart.set(event.generation, ms(event.time));
    } else if (event.type === 'generation-finished') {
      generationMs += ms(event.time) - (generationStart.get(event.generation) ?? ms(event.time));
    } else if (event.type === 'evaluation-started') {
      const key = `${event.hash}|${event.task}|${event.seedIndex}|${event.steps}`;
      if (!started.has(key)) started.set(key, ms(event.time));
      const begun = generationStart.get(current);
      if (begun !== undefined && !perGeneration.has(current)) firstDispatch.push(ms(event.time) - begun);
      perGeneration.set(current, (perGeneration.get(current) ?? 0) + 1);
    } else if (event.type === 'evaluation-finished') {
      const r = event.record;
      durations.push(r.durationMs);
      busyMs.set(r.worker, (busyMs.get(r.worker) ?? 0) + r.durationMs);
      const at = started.get(`${r.hash}|${r.task}|${r.seedIndex}|${r.steps}`);
      if (at !== undefined) overheads.push(ms(event.time) - at - r.durationMs);
    }
  }
  const total = durations.reduce((a, b) => a + b, 0);
  const counts = [...perGeneration.values()];
  const waves = counts.reduce((a, e) => a + Math.ceil(e / workers), 0);
  return {
    workers,
    mode,
    bestFitness,
    wallSeconds,
    generationSeconds: generationMs / 1000,
    evaluations: durations.length,
    evaluationsPerHour: (durations.length * 3_600_000) / generationMs,
    meanDurationMs: total / durations.length,
    minDurationMs: Math.min(...durations),
    maxDurationMs: Math.max(...durations),
    busy: [...busyMs.values()].map((b) => b / generationMs).sort((a, b) => b - a),
    barrierLoss: 1 - total / (workers * generationMs),
    waveLoss: waves === 0 ? 0 : 1 - counts.reduce((a, b) => a + b, 0) / (workers * waves),
    overheadMedianMs: quantile(overheads, 0.5),
    overheadP90Ms: quantile(overheads, 0.9),
    firstDispatchMs: quantile(firstDispatch, 0.5),
    load,
  };
}

/** One run of CONFIG in `mode` through a fresh Redis and `workers` `evopt worker` processes. */
async function fleetRun(workers: number, mode: Mode): Promise<FleetFigures> {
  const load = loadavg()[0] ?? 0;
  const redis = await startLocalRedis({ command: REDIS });
  const dir = mkdtempSync(join(tmpdir(), `evopt-bench-fleet-${workers}-`));
  const env = { ...process.env, EVOPT_DATA_DIR: join(dir, 'data') };
  writeFileSync(join(dir, 'evopt.config.json'), JSON.stringify(CONFIG));
  const fleet: Spawned[] = [];
  try {
    for (let i = 0; i < workers; i++)
      fleet.push(start(process.execPath, [BIN, 'worker', '--queue', redis.url, '--concurrency', '1'], dir, env));
    await until(
      () => fleet.every((w) => w.stderr().includes('takes jobs from') || w.child.exitCode !== null),
      `${workers} workers to connect`,
    );
    const dead = fleet.find((w) => w.child.exitCode !== null);
    if (dead) throw new Error(`a worker exited: ${dead.stderr().slice(-400)}`);
    // A worker starts its training thread (plugins, task data) on its first job, about 1.5 s here;
    // a one-generation run with another seed (so other job ids) warms every worker up first.
    const warmUp = await start(
      process.execPath,
      [
        BIN,
        'evolve',
        '--queue',
        redis.url,
        '--seed',
        '999',
        '--generations',
        '1',
        '--runs-dir',
        'warm-up',
        '--progress',
        'json',
      ],
      dir,
      env,
    ).done;
    if (warmUp.code !== 0) throw new Error(`warm-up run failed (exit ${warmUp.code}): ${warmUp.stderr.slice(-400)}`);
    const began = Date.now();
    const run = await start(
      process.execPath,
      [BIN, 'evolve', '--queue', redis.url, '--mode', mode, '--progress', 'json'],
      dir,
      env,
    ).done;
    const wallSeconds = (Date.now() - began) / 1000;
    if (run.code !== 0) throw new Error(`evolve --queue failed (exit ${run.code}): ${run.stderr.slice(-400)}`);
    const runs = readdirSync(join(dir, '.evopt', 'runs'));
    const { events } = readJournal(join(dir, '.evopt', 'runs', runs[0] as string, 'events.jsonl'));
    return analyse(events, workers, mode, wallSeconds, load);
  } finally {
    for (const w of fleet) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await Promise.all(fleet.map((w) => w.done));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Distributed evaluation's scaling: 1, 2, 4 and 8 `evopt worker` processes on one Redis queue,
 * each fleet running the same slow smoke config, once with the generational GA and once with the
 * steady-state GA (the same budget of genomes). Reports wall time, evaluations/hour against the
 * throughput model's ideal (N × the one-worker rate), per-worker busy fractions, the time lost
 * to idle workers (to the generation barrier, in the generational mode), the orchestration
 * overhead per job, and the best fitness each mode reached.
 */
export async function distributedSection(report: Report): Promise<void> {
  report.heading(
    'Distributed evaluation: 1, 2, 4, 8 queue workers, generational vs steady-state GA (smoke task, 20 × 10 ms sleeps per evaluation)',
  );
  const results: FleetFigures[] = [];
  for (const n of FLEETS) {
    for (const mode of MODES) {
      try {
        results.push(await fleetRun(n, mode));
      } catch (error) {
        report.note(`${n} worker(s), ${mode}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
    }
  }
  for (const mode of MODES) {
    const runs = results.filter((f) => f.mode === mode);
    const one = runs[0] as FleetFigures;
    for (const f of runs) {
      const ideal = f.workers * one.evaluationsPerHour;
      const busy = f.busy.map((b) => `${(b * 100).toFixed(0)}`).join('/');
      report.add(
        `distributed${f.workers}${mode === 'steady-state' ? 'Steady' : ''}`,
        { ...f, idealEvaluationsPerHour: ideal, speedup: one.generationSeconds / f.generationSeconds },
        `${f.workers} worker(s), ${mode}, population 16 × 4 generations × 2 seeds`,
        `wall ${f.wallSeconds.toFixed(1)} s (search ${f.generationSeconds.toFixed(1)} s) · ${f.evaluations} evals · ` +
          `${Math.round(f.evaluationsPerHour)}/h (ideal ${Math.round(ideal)}, ${((f.evaluationsPerHour / ideal) * 100).toFixed(0)}%) · ` +
          `speedup ${(one.generationSeconds / f.generationSeconds).toFixed(2)}× · idle loss ${(f.barrierLoss * 100).toFixed(1)}% ` +
          (mode === 'generational' ? `(whole waves predict ${(f.waveLoss * 100).toFixed(1)}%) · ` : '· ') +
          `busy % ${busy} · eval ${f.minDurationMs.toFixed(0)}–${f.maxDurationMs.toFixed(0)} ms (mean ${f.meanDurationMs.toFixed(0)}) · ` +
          `overhead/job median ${f.overheadMedianMs.toFixed(0)} ms, p90 ${f.overheadP90Ms.toFixed(0)} ms · best ${f.bestFitness.toFixed(4)} · load ${f.load.toFixed(1)}`,
      );
    }
  }
  for (const n of FLEETS) {
    const [g, s] = MODES.map((mode) => results.find((f) => f.workers === n && f.mode === mode)) as [
      FleetFigures,
      FleetFigures,
    ];
    report.add(
      `distributed${n}Ratio`,
      {
        workers: n,
        steadyOverGenerationalRate: s.evaluationsPerHour / g.evaluationsPerHour,
        generationalLoss: g.barrierLoss,
        steadyLoss: s.barrierLoss,
        generationalBest: g.bestFitness,
        steadyBest: s.bestFitness,
      },
      `${n} worker(s): steady-state vs generational`,
      `evaluations/h ×${(s.evaluationsPerHour / g.evaluationsPerHour).toFixed(2)} · idle loss ${(g.barrierLoss * 100).toFixed(1)}% → ${(s.barrierLoss * 100).toFixed(1)}% · ` +
        `wall ${g.wallSeconds.toFixed(1)} → ${s.wallSeconds.toFixed(1)} s · best ${g.bestFitness.toFixed(4)} vs ${s.bestFitness.toFixed(4)}`,
    );
  }
}
