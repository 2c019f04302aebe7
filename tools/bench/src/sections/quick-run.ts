import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../report.js';

const BIN = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../apps/evopt/dist/main.js');

/**
 * The whole `quick` preset as `npm start` runs it, in a child process: its wall time (the
 * README promises ≤ 5 minutes on 2 cores) and its peak RSS, worker threads included.
 */
export function quickRunSection(report: Report): void {
  report.heading('The quick preset end to end (what npm start runs)');
  const dir = mkdtempSync(join(tmpdir(), 'evopt-quick-'));
  const rssFile = join(dir, 'max-rss');
  const probe = join(dir, 'rss-probe.mjs');
  writeFileSync(
    probe,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    ['--import', probe, BIN, 'evolve', '--preset', 'quick', '--runs-dir', join(dir, 'runs')],
    { cwd: dir, encoding: 'utf8', timeout: 900_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  if (run.status !== 0) {
    report.note(`quick run failed (exit ${run.status}): ${run.stderr.slice(-500)}`);
    return;
  }
  report.add('quickRunSeconds', seconds, 'quick run wall time', `${seconds.toFixed(0)} s (goal ≤ 300 s)`);
  const maxRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  report.add(
    'quickRunPeakRssMb',
    maxRssMb,
    'quick run peak RSS (process and its worker threads)',
    `${maxRssMb.toFixed(0)} MB`,
  );
  const best = /\n {2}best {3}(\S+)/.exec(run.stdout)?.[1];
  const adam = /\n {2}adam {3}(\S+)/.exec(run.stdout)?.[1];
  if (best && adam)
    report.add(
      'quickRunBestVsAdam',
      { best: Number(best), adam: Number(adam) },
      'quick run: best genome vs adam (validation fitness)',
      `${best} vs ${adam}`,
    );
}
