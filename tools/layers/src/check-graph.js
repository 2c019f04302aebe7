#!/usr/bin/env node
// @ts-check
// `npm test` runs this first: it reads nx's project graph (edges from imports and package.json)
// and fails on a cycle, a suppressed edge, or a runtime dependency that breaks the layers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphProblems } from './graph.js';
import { readProjects } from './layers.js';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const require = createRequire(import.meta.url);
const nxManifest = require.resolve('nx/package.json', { paths: [root] });
const nxBin = join(dirname(nxManifest), JSON.parse(readFileSync(nxManifest, 'utf8')).bin.nx);
const dir = mkdtempSync(join(tmpdir(), 'evopt-graph-'));
try {
  const file = join(dir, 'graph.json');
  execFileSync(process.execPath, [nxBin, 'graph', `--file=${file}`], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
  });
  /** @type {{ graph: { nodes: Record<string, { data: { implicitDependencies?: string[] } }>, dependencies: Record<string, { target: string }[]> } }} */
  const { graph } = JSON.parse(readFileSync(file, 'utf8'));
  const edges = Object.fromEntries(
    Object.entries(graph.dependencies).map(([p, deps]) => [
      p,
      deps.map((d) => d.target).filter((t) => t in graph.nodes),
    ]),
  );
  const implicit = Object.fromEntries(
    Object.entries(graph.nodes).map(([p, node]) => [p, node.data.implicitDependencies ?? []]),
  );
  const problems = graphProblems({ edges, projects: readProjects(root), implicit });
  if (problems.length) {
    for (const problem of problems) console.error(`project graph: ${problem}`);
    process.exitCode = 1;
  } else {
    console.log(`project graph: ${Object.keys(graph.nodes).length} projects, acyclic, layers kept`);
  }
} catch (error) {
  console.error(`project graph: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
