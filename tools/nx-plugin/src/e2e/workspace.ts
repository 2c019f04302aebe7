// Test helpers: scratch workspaces outside the repository, and the tools run inside them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal, type EvoptEvent } from '@evopt/core';
import type { GeneratorCallback, Tree } from '@nx/devkit';
import { flushChanges, FsTree } from 'nx/src/generators/tree.js';

const require = createRequire(import.meta.url);

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const NX = require.resolve('nx/bin/nx.js');
const TSC = require.resolve('typescript/bin/tsc');
const VITEST = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const EVOPT = join(dirname(require.resolve('evopt/package.json')), 'dist/main.js');

export interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Node script in `cwd`, with nx kept local (no daemon, no cloud) and colours off. */
export function node(script: string, args: readonly string[], cwd: string): Promise<Result> {
  const env = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  const child = spawn(process.execPath, [script, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Fails with the command's output, so a broken step says why. */
export function ok(result: Result, what: string): Result {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}\n${result.stdout}\n${result.stderr}`);
  return result;
}

/**
 * A workspace of its own in the temp dir: package.json ("type": "module", workspaces) and nx.json,
 * with node_modules linked to the repository's, so @evopt/* (built), nx and the tools resolve as
 * they would once installed from npm.
 */
export function scratchWorkspace(): { readonly root: string; readonly remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'evopt-nx-plugin-'));
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'scratch', private: true, type: 'module', workspaces: ['packages/*'] }, null, 2),
  );
  writeFileSync(join(root, 'nx.json'), '{}\n');
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Runs a generator on the files of `root` and writes its changes, as `nx g` does. (nx then calls
 * the callback the generator returns; ours only prints the next steps, so it is left out here.)
 */
export async function generateInto<S>(
  root: string,
  generator: (tree: Tree, schema: S) => Promise<GeneratorCallback>,
  schema: S,
): Promise<string[]> {
  const tree = new FsTree(root, false);
  await generator(tree, schema);
  const changes = tree.listChanges();
  flushChanges(root, changes);
  return changes.map((c) => c.path);
}

/** Builds the package as `npm run build` does: tsc -p tsconfig.lib.json, into dist/. */
export async function buildPackage(dir: string): Promise<void> {
  ok(await node(TSC, ['-p', 'tsconfig.lib.json'], dir), `tsc -p tsconfig.lib.json in ${dir}`);
}

/** Type-checks with tsc --noEmit -p `project` (relative to `cwd`). */
export async function typecheck(project: string, cwd: string): Promise<Result> {
  return node(TSC, ['-p', project, '--noEmit'], cwd);
}

/** What vitest's JSON reporter says about one test. */
export interface TestResult {
  readonly fullName: string;
  readonly status: string;
}

/** Runs the package's tests (`vitest run`, as `npm test` would) and returns every test's result. */
export async function testPackage(dir: string): Promise<TestResult[]> {
  const result = ok(await node(VITEST, ['run', '--reporter=json'], dir), `vitest run in ${dir}`);
  const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as {
    testResults: { assertionResults: TestResult[] }[];
  };
  return report.testResults.flatMap((file) => file.assertionResults);
}

/** Runs the built `evopt` command in `cwd`. */
export function evopt(args: readonly string[], cwd: string): Promise<Result> {
  return node(EVOPT, args, cwd);
}

/** The journal of the one run under `cwd`/.evopt/runs, and its directory. */
export function onlyRun(cwd: string): { readonly dir: string; readonly events: EvoptEvent[] } {
  const runs = readdirSync(join(cwd, '.evopt', 'runs'));
  if (runs.length !== 1) throw new Error(`expected one run, found ${runs.join(', ')}`);
  const dir = join(cwd, '.evopt', 'runs', runs[0] as string);
  return { dir, events: readJournal(join(dir, 'events.jsonl')).events };
}

/** The genomes of every generation of a journal. */
export function bredGenomes(events: readonly EvoptEvent[]) {
  return events.flatMap((e) => (e.type === 'generation-started' ? e.population.map((p) => p.genome) : []));
}

export const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
