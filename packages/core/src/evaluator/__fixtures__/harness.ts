import { baselineGenome } from '../../genome/baselines.js';
/**
 * Shared set-up for the evaluator tests: the fixture plugin (packages/core/test-fixtures, plain
 * ESM importing the built @evopt/core), a context, requests, and a sink that records calls.
 * Not exported from the package.
 */
import type { EvaluationProgress, EvaluationRecord, EvaluationRequest, EvaluationSink } from '../../evaluation.js';
import type { Genome } from '../../genome/schema.js';
import type { EvaluatorContext } from '../../plugin/contracts.js';
import { importPlugin } from '../../plugin/loader.js';
import type { Options } from '../../plugin/meta.js';
import { registerPlugin } from '../../plugin/validate.js';
import { createRegistries, freezeRegistries } from '../../registry/registries.js';
import { deriveSeed } from '../../rng.js';

/** @evopt/fixtures: primitives grad/adam, schedule constant, task fixtures/quadratic. */
export const FIXTURE_PLUGIN_URL = new URL('../../../test-fixtures/plugin.js', import.meta.url).href;
/** A module that throws when imported. */
export const THROWING_PLUGIN_URL = new URL('../../../test-fixtures/throws-on-import.js', import.meta.url).href;
export const FIXTURE_TASK = 'fixtures/quadratic';

export interface TestContext extends EvaluatorContext {
  readonly logs: string[];
}

/** Loads the given plugins on this thread, as the composition root does, and keeps the log. */
export async function fixtureContext(
  taskOptions: Record<string, Options> = {},
  pluginUrls: readonly string[] = [FIXTURE_PLUGIN_URL],
): Promise<TestContext> {
  const registries = createRegistries();
  for (const url of pluginUrls) registerPlugin(registries, await importPlugin(url, url));
  const logs: string[] = [];
  return {
    registries: freezeRegistries(registries),
    pluginUrls,
    taskOptions,
    dataDir: '/nonexistent',
    backend: 'auto',
    log: (m) => logs.push(m),
    logs,
  };
}

export function fixtureGenome(overrides: Partial<Genome> = {}): Genome {
  return { ...baselineGenome('adam'), lr: 0.01, weightDecay: 0, ...overrides };
}

/** One request per learning rate, hashed by position (`${prefix}-${i}`), seeds derived as a run would. */
export function requestsFor(
  lrs: readonly number[],
  task = FIXTURE_TASK,
  steps = 20,
  prefix = 'genome',
): EvaluationRequest[] {
  return lrs.map((lr, i) => ({
    hash: `${prefix}-${i}`,
    task,
    seedIndex: 0,
    steps,
    seed: deriveSeed(7, `${prefix}-${i}`, task, 0),
    genome: fixtureGenome({ lr }),
  }));
}

/** An {@link EvaluationSink} that remembers every call. */
export class RecordingSink implements EvaluationSink {
  readonly startedKeys: string[] = [];
  readonly progressed: EvaluationProgress[] = [];
  readonly records: EvaluationRecord[] = [];
  readonly statuses: string[] = [];
  /** Called on each finished record, e.g. to abort after the first. */
  onFinished: ((record: EvaluationRecord) => void) | null = null;

  started(request: EvaluationRequest, worker: string): void {
    this.startedKeys.push(`${request.hash}@${worker}`);
  }

  progress(_request: EvaluationRequest, _worker: string, progress: EvaluationProgress): void {
    this.progressed.push(progress);
  }

  finished(record: EvaluationRecord): void {
    this.records.push(record);
    this.onFinished?.(record);
  }

  workerStatus(worker: string, status: string): void {
    this.statuses.push(`${worker}:${status}`);
  }

  /** Records sorted by hash, without the fields that depend on scheduling. */
  comparable(): Omit<EvaluationRecord, 'durationMs' | 'worker'>[] {
    return [...this.records]
      .sort((a, b) => a.hash.localeCompare(b.hash))
      .map(({ durationMs: _d, worker: _w, ...rest }) => rest);
  }
}
