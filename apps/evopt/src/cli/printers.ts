import { Option } from 'commander';
import { formatNumber, renderHyperparameters, type EvoptEvent } from '@evopt/core';
import { REDIS_WORKER } from '@evopt/plugin-queue/redact';

/** How a run shows its progress: the live TUI, plain lines, or one JSON event per line. */
export type ProgressMode = 'tui' | 'plain' | 'json';
export const PROGRESS_MODES: readonly ProgressMode[] = ['tui', 'plain', 'json'];

/** The TUI on an interactive terminal (stdout and stdin TTYs, not CI); plain lines anywhere else. */
export function defaultProgressMode(
  stdout: { isTTY?: boolean } = process.stdout,
  stdin: { isTTY?: boolean } = process.stdin,
  env: NodeJS.ProcessEnv = process.env,
): ProgressMode {
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== '0' && env['CI'] !== 'false';
  return stdout.isTTY && stdin.isTTY && !ci ? 'tui' : 'plain';
}

/** `--progress <tui|plain|json>`, shared by evolve, resume and watch. */
export function progressOption(): Option {
  return new Option('--progress <mode>', 'progress output: the live TUI, plain lines, or one JSON event per line')
    .choices([...PROGRESS_MODES])
    .default(defaultProgressMode(), 'tui on an interactive terminal, else plain');
}

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

/** One JSON event per line on stdout: for CI logs and other programs. */
export function jsonPrinter(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): (event: EvoptEvent) => void {
  return (event) => write(JSON.stringify(event));
}

/**
 * Plain progress lines for pipes, CI and terminals without the TUI: a line per generation start
 * and end, new bests, and at most one progress line every `intervalMs` while evaluating.
 */
export function plainPrinter(
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  intervalMs = 5000,
  now: () => number = Date.now,
): (event: EvoptEvent) => void {
  let generations = 0;
  let toEvaluate = 0;
  let finished = 0;
  let generationStart = 0;
  let lastLine = 0;
  return (event) => {
    switch (event.type) {
      case 'run-started':
        generations = event.generations;
        write(`evopt ${event.resumed ? 'resuming' : 'run'} ${event.runId} · preset ${event.preset ?? 'none'} · seed ${event.seed} · ${event.populationSize} genomes × ${event.generations} generations${event.mode === 'steady-state' ? ' (steady-state)' : ''} · ${event.tasks.join(', ')} × ${event.seeds} seed(s) × ${event.steps} steps · ${event.evaluator} (${event.workers} worker${event.workers === 1 ? '' : 's'})`);
        break;
      case 'generation-started':
        toEvaluate = event.toEvaluate;
        finished = 0;
        generationStart = lastLine = now();
        write(`generation ${event.generation + 1}/${generations}: ${event.toEvaluate} evaluations to run, ${event.cached} cached`);
        break;
      case 'evaluation-finished': {
        finished++;
        const t = now();
        if (t - lastLine >= intervalMs && finished < toEvaluate) {
          lastLine = t;
          const rate = finished / Math.max(0.001, (t - generationStart) / 1000);
          write(`  ${finished}/${toEvaluate} evaluated · ${rate.toFixed(2)} evaluations/s · about ${Math.ceil((toEvaluate - finished) / rate)}s left in this generation`);
        }
        break;
      }
      case 'generation-finished':
        write(`generation ${event.generation + 1}/${generations} done in ${((now() - generationStart) / 1000).toFixed(1)}s: best ${fixed(event.best.fitness)} · mean ${fixed(event.mean)} · ${event.evaluated} evaluated, ${event.cached} cached, ${event.diverged} diverged, ${event.failed} failed`);
        write(`  best: ${event.best.formula}  [${event.best.hash}]`);
        break;
      case 'new-best':
        write(`  new best ${fixed(event.best.fitness)}${event.previousFitness === null ? '' : ` (was ${fixed(event.previousFitness)})`}: ${event.best.formula} · lr ${formatNumber(event.best.genome.lr)}`);
        break;
      case 'run-finished': {
        write(`run finished after ${event.generations} generations (${event.evaluations} evaluations, ${event.cacheHits} cache hits)`);
        write(`  best   ${fixed(event.best.fitness)}  ${event.best.formula}`);
        write(`         ${renderHyperparameters(event.best.genome)}`);
        const adam = event.baselines['adam'];
        if (adam !== undefined && Number.isFinite(adam)) {
          const change = adam > 0 ? ` (${event.best.fitness >= adam ? '+' : ''}${(((event.best.fitness - adam) / adam) * 100).toFixed(1)}% vs adam)` : '';
          write(`  adam   ${fixed(adam)}  same budget and seeds${change}`);
        }
        write('  fitness: the paper\'s score on the validation split, mean over tasks and seeds');
        break;
      }
      case 'worker-info':
        write(`  ${event.worker}: backend ${event.backend ?? 'unknown'}${event.devices?.length ? ` on ${event.devices.join(', ')}` : ''}${event.detail ? ` (${event.detail})` : ''}`);
        break;
      case 'run-stopped':
        write(`run stopped in generation ${event.generation + 1}: ${event.reason}`);
        break;
      case 'run-failed':
        write(`run failed: ${event.error.message}`);
        break;
      case 'warning':
        process.stderr.write(`warning: ${event.message}\n`);
        break;
      case 'worker-status':
        if (event.status === 'crashed') write(`  worker ${event.worker} crashed${event.detail ? `: ${event.detail}` : ''}; replacing it`);
        // A queue run's Redis connection: its loss pauses the run, so say so, and say when it is back.
        else if (event.worker === REDIS_WORKER && event.detail && (event.status === 'stopped' || event.status === 'ready')) write(`  queue: ${event.detail}`);
        break;
      default:
        break;
    }
  };
}

/** The printer for a mode without a screen of its own. */
export function printerFor(mode: Exclude<ProgressMode, 'tui'>): (event: EvoptEvent) => void {
  return mode === 'json' ? jsonPrinter() : plainPrinter();
}
