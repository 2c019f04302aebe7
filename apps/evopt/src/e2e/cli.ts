// Test helpers: run the built `evopt` binary in a scratch project, and read what it wrote.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal, NONDETERMINISTIC_EVENTS, type EvoptEvent } from '@evopt/core';

export const BIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function startCli(args: readonly string[], cwd: string): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    env: { ...process.env, EVOPT_DATA_DIR: join(cwd, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

export function runCli(args: readonly string[], cwd: string): Promise<CliResult> {
  return startCli(args, cwd).done;
}

/** A scratch project directory with an evopt.config.json. */
export function project(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'evopt-e2e-'));
  writeFileSync(join(dir, 'evopt.config.json'), JSON.stringify(config, null, 2));
  return dir;
}

export function onlyRun(cwd: string): string {
  const runs = readdirSync(join(cwd, '.evopt', 'runs'));
  if (runs.length !== 1) throw new Error(`expected one run, found ${runs.join(', ')}`);
  return join(cwd, '.evopt', 'runs', runs[0] as string);
}

export function events(runDir: string): EvoptEvent[] {
  return readJournal(join(runDir, 'events.jsonl')).events;
}

/** The journal without what depends on timing: times, durations, workers, run ids, progress. */
export function deterministicJournal(runDir: string): unknown[] {
  return events(runDir)
    .filter((e) => !NONDETERMINISTIC_EVENTS.has(e.type) && e.type !== 'checkpoint-saved')
    .map(
      (e) =>
        JSON.parse(
          JSON.stringify(e, (key, value: unknown) =>
            ['time', 'durationMs', 'worker', 'runId', 'path'].includes(key) ? undefined : value,
          ),
        ) as unknown,
    );
}

/** The last generation's population and the best genome: what a run ends with. */
export function outcome(runDir: string): { population: string[]; best: unknown } {
  const generations = events(runDir).filter((e) => e.type === 'generation-started');
  const last = generations.at(-1);
  const best = JSON.parse(readFileSync(join(runDir, 'best.json'), 'utf8')) as {
    hash: string;
    fitness: number;
    genome: unknown;
  };
  return {
    population: last && last.type === 'generation-started' ? last.population.map((p) => p.hash) : [],
    best: { hash: best.hash, fitness: best.fitness, genome: best.genome },
  };
}

export const SMOKE = { preset: 'smoke', seed: 11 } as const;

/** Polls `predicate` until it holds; throws after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
