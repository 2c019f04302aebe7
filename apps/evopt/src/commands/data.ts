import { isAbsolute, join, relative, resolve } from 'node:path';
import { closestMatch, DATA_DIR_ENV, EvoptError, loadConfig, resolveConfig, userCacheDir } from '@evopt/core';
import {
  DATASET_IDS,
  DATASETS,
  datasetStatus,
  fetchDataset,
  formatBytes,
  type DatasetId,
  type DatasetStatus,
  type FetchProgress,
  type FetchResult,
  type FileStatus,
} from '@evopt/plugin-vision';

/** Where the data dir comes from: `--data-dir`, else the config's `dataDir` (itself $EVOPT_DATA_DIR or the user cache dir by default). */
export interface DataDirOptions {
  readonly cwd: string;
  readonly dataDir?: string;
  readonly configFile?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The data dir, absolute, and a few words on where it came from. */
export async function resolveDataDir(options: DataDirOptions): Promise<{ dataDir: string; origin: string }> {
  const env = options.env ?? process.env;
  if (options.dataDir !== undefined) {
    // Anchored like the config's own paths (~ expands), without reading a config file.
    const config = resolveConfig({
      overrides: { dataDir: options.dataDir },
      baseDir: options.cwd,
      cwd: options.cwd,
      env,
    });
    return { dataDir: config.dataDir, origin: '--data-dir' };
  }
  const { config, filepath } = await loadConfig({
    cwd: options.cwd,
    env,
    ...(options.configFile && { configFile: options.configFile }),
  });
  const fromEnv = env[DATA_DIR_ENV];
  const origin =
    fromEnv && config.dataDir === resolve(options.cwd, fromEnv)
      ? `$${DATA_DIR_ENV}`
      : config.dataDir === resolve(options.cwd, userCacheDir({ env }))
        ? 'the user cache dir'
        : `dataDir in ${filepath ? shortPath(filepath, options.cwd) : 'the config'}`;
  return { dataDir: config.dataDir, origin };
}

/** "evopt.config.ts" for a file under cwd, the absolute path otherwise. */
function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** The stream progress is drawn on: a one-line bar when it is a terminal, occasional lines when not. */
export interface ProgressStream {
  readonly isTTY: boolean;
  write(text: string): void;
}

const TTY_INTERVAL_MS = 100;
const PLAIN_INTERVAL_MS = 5000;
const BAR_WIDTH = 24;

function progressLine(p: FetchProgress, tty: boolean): string {
  const speed = `${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s`;
  if (p.totalBytes === null || p.totalBytes === 0) return `  ${p.file}  ${formatBytes(p.receivedBytes)}  ${speed}`;
  const fraction = Math.min(1, p.receivedBytes / p.totalBytes);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = tty ? ` [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]` : '';
  return `  ${p.file}${bar}  ${formatBytes(p.receivedBytes)} / ${formatBytes(p.totalBytes)}  ${(fraction * 100).toFixed(0)}%  ${speed}`;
}

/**
 * Draws fetch progress: on a terminal one line redrawn with \r at most ten times a second, which
 * `clear` wipes before any other message; elsewhere a plain line every few seconds.
 */
export function progressPrinter(stream: ProgressStream, now: () => number = Date.now) {
  let last = -Infinity;
  let drawn = false;
  return {
    update(p: FetchProgress): void {
      const t = now();
      if (t - last < (stream.isTTY ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS)) return;
      last = t;
      if (stream.isTTY) {
        stream.write(`\r${progressLine(p, true)}\x1b[K`);
        drawn = true;
      } else {
        stream.write(`${progressLine(p, false)}\n`);
      }
    },
    clear(): void {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

export interface DataFetchOptions extends DataDirOptions {
  /** A dataset id, or 'all'. */
  readonly target: string;
  readonly from?: string;
  readonly signal: AbortSignal;
  /** Messages, one line each (stderr). */
  readonly log: (message: string) => void;
  readonly progress?: ProgressStream;
}

function targets(target: string): readonly DatasetId[] {
  if (target === 'all') return DATASET_IDS;
  if ((DATASET_IDS as readonly string[]).includes(target)) return [target as DatasetId];
  const known = [...DATASET_IDS, 'all'];
  const guess = closestMatch(target, known);
  throw new EvoptError('CONFIG_INVALID', `Unknown dataset "${target}". Known datasets: ${known.join(', ')}.`, {
    fix: guess ? `Did you mean "${guess}"? Run \`evopt data fetch ${guess}\`.` : `Pass one of: ${known.join(', ')}.`,
    details: { dataset: target, known },
  });
}

function describeResult(result: FetchResult): string {
  const counts = new Map<string, number>();
  for (const file of result.files) counts.set(file.outcome, (counts.get(file.outcome) ?? 0) + 1);
  const words = { present: 'already present', downloaded: 'downloaded', resumed: 'resumed', copied: 'copied' } as const;
  const parts = [...counts].map(([outcome, n]) => `${n} ${words[outcome as keyof typeof words]}`);
  if (result.extraction) parts.push(result.extraction === 'extracted' ? 'extracted' : 'already extracted');
  return `${result.dataset}: ${result.files.length} file${result.files.length === 1 ? '' : 's'} verified (${parts.join(', ')})`;
}

/** `evopt data fetch <dataset|all>`: downloads (or copies) what is missing, verifies everything. */
export async function dataFetch(options: DataFetchOptions): Promise<readonly FetchResult[]> {
  const ids = targets(options.target);
  const { dataDir, origin } = await resolveDataDir(options);
  const from =
    options.from === undefined || /^https?:\/\//i.test(options.from)
      ? options.from
      : resolve(options.cwd, options.from);
  options.log(`data dir: ${dataDir} (${origin})`);
  const progress = progressPrinter(
    options.progress ?? { isTTY: process.stderr.isTTY === true, write: (t) => process.stderr.write(t) },
  );
  const started = Date.now();
  const results: FetchResult[] = [];
  try {
    for (const id of ids) {
      const spec = DATASETS[id];
      options.log(`${spec.title} → ${join(dataDir, spec.directory)}${from ? ` (from ${from})` : ''}`);
      results.push(
        await fetchDataset(spec, {
          dataDir,
          ...(from !== undefined && { from }),
          signal: options.signal,
          onProgress: (p) => progress.update(p),
          onEvent: (message) => {
            progress.clear();
            options.log(`  ${message}`);
          },
        }),
      );
    }
  } finally {
    progress.clear();
  }
  const moved = results
    .flatMap((r) => r.files)
    .filter((f) => f.outcome !== 'present')
    .reduce((sum, f) => sum + f.bytes, 0);
  options.log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s, ${formatBytes(moved)} fetched:`);
  for (const result of results) options.log(`  ${describeResult(result)}`);
  return results;
}

export interface DataListOptions extends DataDirOptions {
  /** Hash every file (false: compare sizes only). */
  readonly verify: boolean;
}

function fileRow(id: DatasetId, file: FileStatus, verify: boolean): string[] {
  const size =
    file.state === 'partial' && file.bytes !== null
      ? `${formatBytes(file.bytes)} of ${formatBytes(file.expectedBytes)}`
      : file.bytes === null
        ? '-'
        : formatBytes(file.bytes);
  const status = {
    verified: 'verified',
    unverified: 'size OK (not verified)',
    mismatch: verify ? 'MISMATCH' : 'MISMATCH (size)',
    partial: 'partial (.part)',
    missing: `missing (${formatBytes(file.expectedBytes)})`,
  }[file.state];
  return [id, file.name, size, status];
}

function quoted(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/** `evopt data list`: each dataset's files under the data dir, their sizes and whether they verify. */
export async function dataList(options: DataListOptions): Promise<string> {
  const { dataDir, origin } = await resolveDataDir(options);
  const statuses: DatasetStatus[] = [];
  for (const id of DATASET_IDS) statuses.push(await datasetStatus(DATASETS[id], dataDir, { verify: options.verify }));
  const rows = statuses.flatMap((s) => [
    ...s.files.map((f) => fileRow(s.id, f, options.verify)),
    ...(s.extracted === null
      ? []
      : [[s.id, 'cifar-10-batches-bin/', '-', s.extracted ? 'extracted' : 'not extracted']]),
  ]);
  const table = [['dataset', 'file', 'size', 'status'], ...rows];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const lines = [
    `data dir: ${dataDir} (${origin})`,
    ...table.map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    ),
  ];
  const incomplete = statuses.filter((s) => !s.complete).map((s) => s.id);
  const flag = origin === '--data-dir' ? ` --data-dir ${quoted(dataDir)}` : '';
  if (incomplete.length === 0) lines.push('every dataset is in place.');
  else if (incomplete.length === DATASET_IDS.length) lines.push(`to fetch them: evopt data fetch all${flag}`);
  else lines.push(`to fetch what is missing: ${incomplete.map((id) => `evopt data fetch ${id}${flag}`).join(' && ')}`);
  return lines.join('\n');
}
