import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EvoptError, stableStringify, writeJson } from '@evopt/core';
import type { CiGenomeResult, CiPlan } from './report.js';

export const CI_RECORD_SCHEMA = 'evopt.ci-record/1';

/** A guarded genome's recorded fitness. `hash` tells a changed genome file from drift. */
export interface CiRecordEntry {
  readonly hash: string;
  readonly fitness: number;
  readonly perTask: Readonly<Record<string, number>>;
}

/**
 * The record file: the fitness each guarded genome had when it was last recorded, and the
 * settings it was measured with. A record made with other tasks, steps, seeds or seed is stale.
 */
export interface CiRecord {
  readonly schema: typeof CI_RECORD_SCHEMA;
  readonly updatedAt: string;
  readonly evoptVersion: string;
  readonly tasks: readonly { readonly id: string; readonly options: Readonly<Record<string, unknown>> }[];
  readonly steps: number;
  readonly seeds: number;
  readonly seed: number;
  readonly entries: Readonly<Record<string, CiRecordEntry>>;
}

const FIX_REWRITE = 'Run `evopt ci --update-baseline` to rewrite it from a fresh measurement.';

function invalidRecord(path: string, problem: string): EvoptError {
  return new EvoptError(
    'CONFIG_INVALID',
    `The ci record ${path} is not a valid ${CI_RECORD_SCHEMA} file: ${problem}.`,
    {
      fix: `${FIX_REWRITE} Or restore the file from version control.`,
      details: { path, problem },
    },
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

/** The first problem with a parsed record file, or undefined when it has the record's shape. */
export function recordProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'expected a JSON object';
  if (value['schema'] !== CI_RECORD_SCHEMA)
    return `expected "schema": "${CI_RECORD_SCHEMA}", found ${JSON.stringify(value['schema'])}`;
  for (const key of ['updatedAt', 'evoptVersion'] as const)
    if (typeof value[key] !== 'string') return `expected a string at ${key}`;
  for (const key of ['steps', 'seeds', 'seed'] as const)
    if (!isCount(value[key])) return `expected a whole number at ${key}`;
  const tasks = value['tasks'];
  if (!Array.isArray(tasks)) return 'expected an array at tasks';
  const badTask = tasks.findIndex((t) => !isObject(t) || typeof t['id'] !== 'string' || !isObject(t['options']));
  if (badTask >= 0) return `expected { id, options } at tasks[${badTask}]`;
  const entries = value['entries'];
  if (!isObject(entries)) return 'expected an object at entries';
  for (const [label, entry] of Object.entries(entries)) {
    if (
      !isObject(entry) ||
      typeof entry['hash'] !== 'string' ||
      typeof entry['fitness'] !== 'number' ||
      !isObject(entry['perTask'])
    ) {
      return `expected { hash, fitness, perTask } at entries["${label}"]`;
    }
  }
  return undefined;
}

/** Reads the record file; null when there is none yet. A malformed file is a config error. */
export function readRecord(path: string): CiRecord | null {
  if (!existsSync(path)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw invalidRecord(path, error instanceof Error ? error.message : String(error));
  }
  const problem = recordProblem(value);
  if (problem !== undefined) throw invalidRecord(path, problem);
  return value as CiRecord;
}

/** The record's settings as the plan has them, for comparison. */
function planTasks(plan: Pick<CiPlan, 'tasks' | 'taskOptions'>): CiRecord['tasks'] {
  return plan.tasks.map((id) => ({ id, options: plan.taskOptions[id] ?? {} }));
}

/** How the record's settings differ from the plan's, one phrase each; empty when they match. */
export function recordMismatches(
  record: CiRecord,
  plan: Pick<CiPlan, 'tasks' | 'taskOptions' | 'steps' | 'seeds' | 'seed'>,
): string[] {
  const out: string[] = [];
  const describeTasks = (tasks: CiRecord['tasks']) =>
    tasks.map((t) => (Object.keys(t.options).length > 0 ? `${t.id} ${stableStringify(t.options)}` : t.id)).join(', ');
  const wanted = planTasks(plan);
  if (stableStringify(record.tasks) !== stableStringify(wanted))
    out.push(`tasks ${describeTasks(record.tasks)} (the config has ${describeTasks(wanted)})`);
  for (const key of ['steps', 'seeds', 'seed'] as const) {
    if (record[key] !== plan[key]) out.push(`${key} ${record[key]} (the config has ${plan[key]})`);
  }
  return out;
}

/** Throws a config error when the record was made for other settings than the plan's. */
export function assertRecordMatches(
  record: CiRecord,
  plan: Pick<CiPlan, 'tasks' | 'taskOptions' | 'steps' | 'seeds' | 'seed' | 'record'>,
): void {
  const mismatches = recordMismatches(record, plan);
  if (mismatches.length === 0) return;
  throw new EvoptError(
    'CONFIG_INVALID',
    `The ci record ${plan.record.path} is stale: it was made with ${mismatches.join('; ')}.`,
    {
      fix: `${FIX_REWRITE} Or restore the ci settings it was recorded with.`,
      details: { path: plan.record.path, mismatches },
    },
  );
}

/** A record of the guarded genomes' current fitness, under the plan's settings. */
export function buildRecord(
  plan: CiPlan,
  genomes: readonly CiGenomeResult[],
  meta: { updatedAt: string; evoptVersion: string },
): CiRecord {
  const entries: Record<string, CiRecordEntry> = {};
  for (const g of genomes) entries[g.label] = { hash: g.hash, fitness: g.fitness, perTask: { ...g.perTask } };
  return {
    schema: CI_RECORD_SCHEMA,
    updatedAt: meta.updatedAt,
    evoptVersion: meta.evoptVersion,
    tasks: planTasks(plan),
    steps: plan.steps,
    seeds: plan.seeds,
    seed: plan.seed,
    entries,
  };
}

/** Writes the record atomically (a reader sees the old file or the new one), creating its directory. */
export function writeRecord(path: string, record: CiRecord): void {
  mkdirSync(dirname(path), { recursive: true });
  writeJson(path, record);
}
