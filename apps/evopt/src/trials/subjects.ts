import { existsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  BASELINE_IDS,
  EvoptError,
  genomeHash,
  listRuns,
  loadGenome,
  readConfigFile,
  runPaths,
  type CanonicalLookups,
  type Genome,
} from '@evopt/core';

/** Where a subject came from: the run that found it says which tasks were searched on. */
export interface SubjectRun {
  readonly runId: string;
  readonly dir: string;
  /** Task ids the run's search used; tasks outside this list are held out. */
  readonly tasks: readonly string[];
}

/** One genome being compared or guarded: a baseline, a genome file, or a run's best genome. */
export interface TrialSubject {
  /** What reports call it: the baseline id, the file's name, or `<run id>` for a run's best. */
  readonly label: string;
  readonly kind: 'baseline' | 'file' | 'run';
  readonly genome: Genome;
  /** Canonical hash (as in runs and caches). */
  readonly hash: string;
  readonly run?: SubjectRun;
}

export interface ResolveSubjectOptions {
  readonly cwd: string;
  /** Where run ids are looked up. */
  readonly runsDir: string;
  readonly lookups?: CanonicalLookups;
}

/** The tasks a run searched on, from its config.json; none known when it has no config. */
function runTasks(dir: string): string[] {
  const path = runPaths(dir).config;
  if (!existsSync(path)) return [];
  const saved = readConfigFile(path) as { config?: { tasks?: { id?: unknown }[] } } | null;
  return (saved?.config?.tasks ?? []).map((t) => t.id).filter((id): id is string => typeof id === 'string');
}

function fromRunDir(dir: string, runId: string, lookups: CanonicalLookups | undefined): Promise<TrialSubject> {
  const bestPath = join(dir, 'best.json');
  if (!existsSync(bestPath)) {
    throw new EvoptError('GENOME_INVALID', `Run ${runId} (${dir}) has no best.json yet: no generation has finished.`, {
      fix: 'Wait for its first generation to finish, `evopt resume` it, or pass a genome file.',
      details: { path: bestPath },
    });
  }
  return loadGenome(bestPath).then((genome) => ({
    label: runId,
    kind: 'run' as const,
    genome,
    hash: genomeHash(genome, lookups),
    run: { runId, dir, tasks: runTasks(dir) },
  }));
}

/**
 * A subject from what a user typed: a baseline id (adam, …), a genome JSON file (or best.json),
 * a run directory, or a run id in `runsDir`. A file that fails the schema names the path and the
 * field; an unknown id lists the baseline ids and the run ids that exist.
 */
export async function resolveSubject(reference: string, options: ResolveSubjectOptions): Promise<TrialSubject> {
  const { cwd, runsDir, lookups } = options;
  if ((BASELINE_IDS as readonly string[]).includes(reference)) {
    const genome = await loadGenome(reference);
    return { label: reference, kind: 'baseline', genome, hash: genomeHash(genome, lookups) };
  }
  const path = resolve(cwd, reference);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) return fromRunDir(path, basename(path), lookups);
    const genome = await loadGenome(path, cwd);
    const dir = resolve(path, '..');
    // best.json inside a run directory still knows its run (for held-out tasks).
    const run =
      basename(path) === 'best.json' && existsSync(runPaths(dir).config)
        ? { runId: basename(dir), dir, tasks: runTasks(dir) }
        : undefined;
    return {
      label: run ? run.runId : basename(path).replace(/\.json$/, ''),
      kind: run ? 'run' : 'file',
      genome,
      hash: genomeHash(genome, lookups),
      ...(run && { run }),
    };
  }
  const runDir = join(runsDir, reference);
  if (!reference.includes('/') && existsSync(runPaths(runDir).config)) return fromRunDir(runDir, reference, lookups);
  if (reference.endsWith('.json') || reference.includes('/')) {
    throw new EvoptError('GENOME_INVALID', `No genome file at ${path}.`, {
      fix: `Check the path, or use a baseline id (${BASELINE_IDS.join(', ')}) or a run id.`,
      details: { path },
    });
  }
  const runIds = listRuns(runsDir).map((r) => r.runId);
  throw new EvoptError('REGISTRY_UNKNOWN', `"${reference}" is not a baseline id, a run id, or a file.`, {
    fix: `Known baselines: ${BASELINE_IDS.join(', ')}. Runs in ${runsDir}: ${runIds.length > 0 ? runIds.slice(0, 20).join(', ') + (runIds.length > 20 ? ', …' : '') : '(none)'}.`,
    details: { kind: 'genome', id: reference, known: [...BASELINE_IDS, ...runIds] },
  });
}
