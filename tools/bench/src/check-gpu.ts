/**
 * `npm run check:gpu`: what a GPU user runs first (docs/GPU.md). On a machine where
 * @tensorflow/tfjs-node-gpu loads and finds a GPU, it checks, one line each:
 *   1. the tensorflow backend starts on the GPU, named from TensorFlow's device log;
 *   2. every built-in primitive passes the tensor conformance rules (@evopt/testing-tfjs) there;
 *   3. the genome optimizer ends where the cpu backend ends, step for step;
 *   4. population training at P = 3 ends where training each genome alone ends (SmallCNN, CIFAR CNN);
 *   5. `bench:gpu --quick` runs and prints its table;
 * and exits 1 if any failed or the whole took longer than 8 minutes (30 on wasm or cpu). Without
 * a GPU it says so in one line and exits 0, having checked nothing.
 *
 *   npm run check:gpu                        on the GPU machine
 *   npm run check:gpu -- --backend wasm      developers: the same checks on wasm (or cpu), no GPU needed
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchLine, tail, type BenchRun } from './check-gpu/bench-line.js';
import { describeDevice, loggedDevices } from './check-gpu/device-log.js';
import { parseRunnerLine, type CheckLine } from './check-gpu/protocol.js';

/** The whole command on a GPU. A developer run on wasm or cpu trains the same models on the CPU: far slower. */
const GPU_LIMIT_MS = 8 * 60_000;
const CPU_LIMIT_MS = 30 * 60_000;
const HERE = fileURLToPath(new URL('.', import.meta.url));

/** Runs a Node script, handing each stdout line to `onLine`, killed after `timeoutMs`; `stderr()` reads its stderr so far. */
function runNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onLine: (line: string, stderr: () => string) => void = () => {},
): Promise<BenchRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      Math.max(1, timeoutMs),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine(line, () => stderr);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (pending) onLine(pending, () => stderr);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

class Printer {
  readonly lines: CheckLine[] = [];

  print(line: CheckLine): void {
    this.lines.push(line);
    console.log(`${line.ok ? 'pass' : 'FAIL'}  ${line.name.padEnd(42)} ${line.figures}`);
    if (!line.ok && line.detail)
      console.log(
        line.detail
          .split('\n')
          .slice(0, 8)
          .map((l) => `      ${l}`)
          .join('\n'),
      );
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const at = argv.indexOf('--backend');
  const backend = at >= 0 ? (argv[at + 1] ?? '') : 'tensorflow';
  const began = performance.now();
  const limit = backend === 'tensorflow' ? GPU_LIMIT_MS : CPU_LIMIT_MS;
  const remaining = () => limit - (performance.now() - began);
  const logs = mkdtempSync(join(tmpdir(), 'evopt-check-gpu-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TF_CPP_MIN_LOG_LEVEL: '0', // TensorFlow names the GPU in an INFO line (device-log.ts)
    TF_FORCE_GPU_ALLOW_GROWTH: process.env['TF_FORCE_GPU_ALLOW_GROWTH'] ?? 'true',
    // Keeps the driver's JIT of libtensorflow's PTX (Ampere, Hopper) for the next run (docs/GPU.md).
    CUDA_CACHE_MAXSIZE: process.env['CUDA_CACHE_MAXSIZE'] ?? '4294967296',
  };
  const printer = new Printer();
  if (backend !== 'tensorflow') console.log(`check:gpu on ${backend}, a developer run: the GPU checks, without a GPU`);

  let skipped: string | undefined;
  // TensorFlow logs the device on stderr before the runner writes its backend line on stdout, but
  // the two pipes may be read in either order: the backend line waits for the next line or the end.
  let held: { line: CheckLine; stderr: () => string } | undefined;
  const release = (): void => {
    if (!held) return;
    const devices = loggedDevices(held.stderr()).map(describeDevice);
    printer.print({
      ...held.line,
      figures: `${held.line.figures}; ${devices.length ? devices.join(', ') : "no device line in TensorFlow's log"}`,
    });
    held = undefined;
  };
  const child = await runNode(
    [join(HERE, 'check-gpu/runner.js'), '--backend', backend],
    env,
    remaining(),
    (text, stderr) => {
      const line = parseRunnerLine(text);
      if (line?.type === 'skip') skipped = line.reason;
      else if (line?.name === 'backend' && line.ok && backend === 'tensorflow') held = { line, stderr };
      else if (line) {
        release();
        printer.print(line);
      }
    },
  );
  release();
  writeFileSync(join(logs, 'runner.stderr.log'), child.stderr);
  if (skipped !== undefined) {
    console.log(`check:gpu: no GPU here, nothing checked (${skipped})`);
    return 0;
  }
  // A runner that crashed has said so in its own 'runner' line; one failure, one line.
  const reported = printer.lines.some((line) => line.name === 'runner');
  if (!reported && (child.timedOut || child.code !== 0 || printer.lines.length === 0)) {
    printer.print({
      type: 'check',
      name: 'runner',
      ok: false,
      figures: child.timedOut ? 'timed out' : `exit ${child.code}`,
      detail: tail(child.stderr),
    });
  }

  const benchBegan = performance.now();
  const bench = await runNode([join(HERE, 'gpu.js'), '--quick', '--backend', backend], env, remaining());
  writeFileSync(join(logs, 'bench-gpu.txt'), `${bench.stdout}\n--- stderr ---\n${bench.stderr}`);
  printer.print(benchLine(bench, duration(performance.now() - benchBegan)));

  const failed = printer.lines.filter((l) => !l.ok).length;
  const took = performance.now() - began;
  const overTime = took > limit;
  console.log(
    `check:gpu: ${printer.lines.length - failed} of ${printer.lines.length} checks passed on ${backend} in ${duration(took)}` +
      `${overTime ? ` (over the ${duration(limit)} limit)` : ''}; outputs in ${logs}`,
  );
  return failed > 0 || overTime ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
