import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mean, readJournal } from '@evopt/core';
import type { Report } from '../report.js';
import { analyse, type FleetFigures } from './distributed.js';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../apps/evopt/dist/main.js');
const MODES = ['generational', 'steady-state'] as const;
const SEEDS = [0, 1] as const;
const WORKERS = 2;

/**
 * Search quality, not just throughput: the `quick` preset (mnist-lite MLP, 16 × 8, 200 steps × 2
 * seeds) on 2 worker threads in both GA modes, for two run seeds. Same budget of genomes in both;
 * reports wall time, the time workers sat idle, and the best validation fitness reached.
 */
export function steadySection(report: Report): void {
  report.heading('Steady-state vs generational GA on the quick preset (2 worker threads, run seeds 0 and 1)');
  const results: FleetFigures[] = [];
  for (const seed of SEEDS) {
    for (const mode of MODES) {
      const dir = mkdtempSync(join(tmpdir(), `evopt-steady-${mode}-`));
      try {
        const load = loadavg()[0] ?? 0;
        const began = Date.now();
        const run = spawnSync(
          process.execPath,
          [
            BIN,
            'evolve',
            '--preset',
            'quick',
            '--seed',
            String(seed),
            '--mode',
            mode,
            '--workers',
            String(WORKERS),
            '--runs-dir',
            join(dir, 'runs'),
            '--progress',
            'json',
          ],
          { cwd: dir, encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 28 },
        );
        const wall = (Date.now() - began) / 1000;
        if (run.status !== 0) {
          report.note(`quick ${mode} seed ${seed} failed (exit ${run.status}): ${run.stderr.slice(-400)}`);
          return;
        }
        const runId = readdirSync(join(dir, 'runs'))[0] as string;
        const figures = analyse(
          readJournal(join(dir, 'runs', runId, 'events.jsonl')).events,
          WORKERS,
          mode,
          wall,
          load,
        );
        results.push(figures);
        report.add(
          `steadyQuick${seed}${mode === 'steady-state' ? 'Steady' : 'Generational'}`,
          { seed, ...figures },
          `quick, seed ${seed}, ${mode}`,
          `wall ${wall.toFixed(0)} s · ${figures.evaluations} evals · idle loss ${(figures.barrierLoss * 100).toFixed(1)}% · eval ${figures.minDurationMs.toFixed(0)}–${figures.maxDurationMs.toFixed(0)} ms · best ${figures.bestFitness.toFixed(4)} · load ${load.toFixed(1)}`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  const [g, s] = MODES.map((mode) => results.filter((f) => f.mode === mode));
  if (!g || !s) return;
  const wallRatio = mean(s.map((f) => f.wallSeconds)) / mean(g.map((f) => f.wallSeconds));
  report.add(
    'steadyQuickRatio',
    {
      wallRatio,
      generationalBest: mean(g.map((f) => f.bestFitness)),
      steadyBest: mean(s.map((f) => f.bestFitness)),
      generationalLoss: mean(g.map((f) => f.barrierLoss)),
      steadyLoss: mean(s.map((f) => f.barrierLoss)),
    },
    'quick: steady-state vs generational (means over seeds)',
    `wall ×${wallRatio.toFixed(2)} · idle loss ${(mean(g.map((f) => f.barrierLoss)) * 100).toFixed(1)}% → ${(mean(s.map((f) => f.barrierLoss)) * 100).toFixed(1)}% · ` +
      `best ${mean(g.map((f) => f.bestFitness)).toFixed(4)} (generational) vs ${mean(s.map((f) => f.bestFitness)).toFixed(4)} (steady-state)`,
  );
}
