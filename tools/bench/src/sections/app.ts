import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../report.js';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../apps/evopt/dist/main.js');

/** The quick preset, shortened: long enough for the TUI to draw a few hundred frames. */
const CONFIG = { preset: 'quick', ga: { generations: 4 } };

interface Probe {
  readonly seconds: number;
  readonly loopP99Ms: number;
  readonly cpuSeconds: number;
  readonly outputBytes: number;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * One `evopt evolve` of CONFIG in a fresh directory, with a probe that records the main thread's
 * event-loop delay (p99) and the process's CPU time at exit. `tui` runs it in a pseudo-terminal
 * (util-linux `script`), as a user at a terminal would see it.
 */
function evolve(mode: 'tui' | 'plain'): Probe | string {
  const dir = mkdtempSync(join(tmpdir(), `evopt-app-${mode}-`));
  writeFileSync(join(dir, 'evopt.config.json'), JSON.stringify(CONFIG));
  const out = join(dir, 'probe.json');
  const probe = join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    [
      "import { monitorEventLoopDelay } from 'node:perf_hooks';",
      "import { writeFileSync } from 'node:fs';",
      'const h = monitorEventLoopDelay({ resolution: 5 }); h.enable();',
      `process.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(out)}, JSON.stringify({ p99: h.percentile(99) / 1e6, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 })); });`,
    ].join('\n'),
  );
  const command = [process.execPath, '--import', probe, BIN, 'evolve', '--progress', mode].map(shellQuote).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '120', LINES: '45', TERM: 'xterm-256color' };
  delete env['CI'];
  const started = Date.now();
  const run =
    mode === 'tui'
      ? spawnSync('script', ['-qfec', `stty cols 120 rows 45; ${command}`, '/dev/null'], {
          cwd: dir,
          env,
          encoding: 'utf8',
          timeout: 900_000,
          maxBuffer: 1 << 28,
        })
      : spawnSync('sh', ['-c', command], { cwd: dir, env, encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 28 });
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0)
    return `evolve --progress ${mode} failed (exit ${run.status}): ${(run.stderr || run.stdout).slice(-400)}`;
  const measured = JSON.parse(readFileSync(out, 'utf8')) as { p99: number; cpu: number };
  return { seconds, loopP99Ms: measured.p99, cpuSeconds: measured.cpu, outputBytes: Buffer.byteLength(run.stdout) };
}

function timed(args: readonly string[], cwd: string): { seconds: number; ok: boolean; stderr: string } {
  const started = Date.now();
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 900_000 });
  return { seconds: (Date.now() - started) / 1000, ok: run.status === 0, stderr: run.stderr };
}

/**
 * What issue 5's app costs: the live TUI against plain lines on the same run (wall time, main
 * thread event-loop delay, CPU), then compare, report and ci on the run it produced.
 */
export function appSection(report: Report): void {
  report.heading('The app: TUI overhead, compare, report, ci');
  const plain = evolve('plain');
  const tui = evolve('tui');
  if (typeof plain === 'string' || typeof tui === 'string') {
    report.note(typeof plain === 'string' ? plain : String(tui));
    return;
  }
  report.add(
    'appPlainRun',
    plain,
    'quick preset, 4 generations, --progress plain',
    `${plain.seconds.toFixed(1)} s · event-loop p99 ${plain.loopP99Ms.toFixed(1)} ms · CPU ${plain.cpuSeconds.toFixed(1)} s`,
  );
  report.add(
    'appTuiRun',
    tui,
    'the same run with the live TUI (pseudo-terminal)',
    `${tui.seconds.toFixed(1)} s · event-loop p99 ${tui.loopP99Ms.toFixed(1)} ms · CPU ${tui.cpuSeconds.toFixed(1)} s · ${(tui.outputBytes / 1024).toFixed(0)} KiB drawn`,
  );
  report.add(
    'appTuiWallRatio',
    tui.seconds / plain.seconds,
    'TUI / plain wall time',
    `${(tui.seconds / plain.seconds).toFixed(3)}× (goal: ≈ 1, the UI never slows the run)`,
  );

  const cwd = mkdtempSync(join(tmpdir(), 'evopt-app-compare-'));
  writeFileSync(join(cwd, 'evopt.config.json'), JSON.stringify({ preset: 'quick', ga: { generations: 2 } }));
  const evolved = timed(['evolve', '--progress', 'json'], cwd);
  if (!evolved.ok) return report.note(`evolve for compare failed: ${evolved.stderr.slice(-400)}`);
  const runId = readdirSync(join(cwd, '.evopt', 'runs'))[0] as string;
  const compare = timed(['compare', runId, '--seeds', '5'], cwd);
  if (!compare.ok) return report.note(`compare failed: ${compare.stderr.slice(-400)}`);
  report.add(
    'appCompareSeconds',
    compare.seconds,
    'compare <quick run> vs 4 baselines, mnist-lite test split, 5 seeds × 200 steps',
    `${compare.seconds.toFixed(1)} s (25 evaluations)`,
  );
  const again = timed(['compare', runId, '--seeds', '5'], cwd);
  report.add(
    'appCompareRerunSeconds',
    again.seconds,
    'the same compare again (everything from its journal)',
    `${again.seconds.toFixed(1)} s`,
  );
  const html = timed(['report', runId], cwd);
  report.add(
    'appReportSeconds',
    html.seconds,
    'report <quick run> (HTML with SVG charts)',
    `${html.seconds.toFixed(2)} s, ${(readFileSync(join(cwd, '.evopt', 'runs', runId, 'report.html')).length / 1024).toFixed(0)} KiB`,
  );
  const repo = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
  const ci = timed(
    ['ci', '--config', join(repo, '.ci', 'evopt-ci', 'evopt.config.json'), '--work-dir', join(cwd, 'ci-work')],
    cwd,
  );
  report.add(
    'appCiSelfCheckSeconds',
    ci.seconds,
    'evopt ci self-check (.ci/evopt-ci, smoke task)',
    `${ci.seconds.toFixed(1)} s, ${ci.ok ? 'pass' : 'FAILED'}`,
  );
}
