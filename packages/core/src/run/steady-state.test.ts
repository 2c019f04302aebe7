import { describe, expect, it } from 'vitest';
import { fixtureEngineDeps } from '../__fixtures__/paper-plugin.js';
import type { EvaluationRecord, EvaluationRequest, EvaluationSink } from '../evaluation.js';
import { EventBus, type EvoptEvent } from '../events.js';
import { SteadyStateEngine, type SteadyStateEngineState, type SteadyStateSettings } from '../engine/steady-state.js';
import { EvoptError } from '../errors.js';
import type { Evaluator } from '../plugin/contracts.js';
import { PAPER_GA } from '../presets/paper.js';
import { Rng } from '../rng.js';
import { EvaluationCache } from './cache.js';
import type { RunCheckpoint } from './evolution.js';
import { runSteadyState, type SteadyStateRunSettings } from './steady-state.js';

const deps = fixtureEngineDeps(['sgd-momentum', 'adam'], 3);
const engineSettings: SteadyStateSettings = {
  populationSize: 8,
  generations: 3,
  elites: 2,
  crossoverRate: 0.5,
  mutation: PAPER_GA.mutation,
  replacement: 'worst',
};
const runSettings: SteadyStateRunSettings = {
  runId: 'r',
  seed: 1,
  preset: null,
  tasks: ['a', 'b'],
  seeds: 2,
  steps: 10,
  baselineIds: ['sgd-momentum', 'adam'],
  inFlight: 3,
};
const BUDGET = 8 + 2 * 6;

/**
 * A stand-in for workers: it scores a genome by its learning rate, finishes requests after
 * seeded random delays (so calls complete out of order), and records how many calls overlap.
 */
class ScriptedEvaluator implements Evaluator {
  readonly id = 'scripted';
  calls = 0;
  overlap = 0;
  maxOverlap = 0;
  evaluated: string[] = [];
  private readonly rng: Rng;

  constructor(
    seed: number,
    readonly concurrent: boolean,
    private readonly failFor: (r: EvaluationRequest) => boolean = () => false,
  ) {
    this.rng = Rng.fromSeed(seed);
  }

  async evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    this.calls++;
    this.overlap++;
    this.maxOverlap = Math.max(this.maxOverlap, this.overlap);
    try {
      // All of a call's requests start at once, as on enough workers; they finish one by one.
      for (const r of requests) sink.started(r, 'w');
      for (const r of requests) {
        await new Promise((resolve) => setTimeout(resolve, this.rng.int(0, 4)));
        if (signal?.aborted) throw new EvoptError('ABORTED', 'aborted');
        this.evaluated.push(`${r.hash}/${r.task}/${r.seedIndex}`);
        sink.finished(record(r, this.failFor(r)));
      }
    } finally {
      this.overlap--;
    }
  }

  async close(): Promise<void> {}
}

function record(r: EvaluationRequest, failed: boolean): EvaluationRecord {
  const score = failed ? -1 : 1 / (1 + Math.abs(Math.log10(r.genome.lr) + 3));
  return {
    hash: r.hash,
    task: r.task,
    seedIndex: r.seedIndex,
    steps: r.steps,
    seed: r.seed,
    status: failed ? 'failed' : 'ok',
    score,
    metrics: {},
    stepsCompleted: r.steps,
    durationMs: 1,
    worker: 'w',
  };
}

interface Harness {
  events: EvoptEvent[];
  checkpoints: RunCheckpoint[];
  cache: EvaluationCache;
}

async function run(
  evaluator: Evaluator,
  options: { engine?: SteadyStateEngine; harness?: Harness; signal?: AbortSignal; restored?: RunCheckpoint } = {},
) {
  const harness = options.harness ?? { events: [], checkpoints: [], cache: new EvaluationCache() };
  const bus = new EventBus();
  bus.on((e) => harness.events.push(e));
  const engine = options.engine ?? SteadyStateEngine.create(engineSettings, deps, 5);
  const result = await runSteadyState(runSettings, {
    engine,
    evaluator,
    cache: harness.cache,
    bus,
    formula: (g) => `lr ${g.lr}`,
    persistence: {
      saveCheckpoint: (c: RunCheckpoint) => void harness.checkpoints.push(structuredClone(c)),
      writeBest: () => undefined,
      writeSummary: () => undefined,
    },
    ...(options.signal && { signal: options.signal }),
    ...(options.restored && { restored: options.restored }),
  });
  return { result, harness, engine };
}

const ofType = <T extends EvoptEvent['type']>(events: EvoptEvent[], type: T) =>
  events.filter((e): e is Extract<EvoptEvent, { type: T }> => e.type === type);

describe('runSteadyState', () => {
  it('scores the generational budget with at most inFlight genomes out, and reports three generations', async () => {
    const evaluator = new ScriptedEvaluator(1, true);
    const { result, harness } = await run(evaluator);
    expect(result.status).toBe('finished');
    expect(evaluator.maxOverlap).toBe(3);
    const told = ofType(harness.events, 'genome-told');
    expect(told).toHaveLength(BUDGET);
    expect(told.map((t) => t.told)).toEqual(Array.from({ length: BUDGET }, (_, i) => i + 1));
    const generations = ofType(harness.events, 'generation-finished');
    expect(generations.map((g) => g.generation)).toEqual([0, 1, 2]);
    // Counts belong to the generation a genome is told in: 8 genomes, then 6 and 6, × 2 tasks × 2 seeds.
    expect(generations.map((g) => g.evaluated + g.cached)).toEqual([32, 24, 24]);
    // No barrier: children are out while generation 0 is still being scored.
    const initial = new Set(ofType(harness.events, 'generation-started')[0]!.population.map((e) => e.hash));
    const firstChild = harness.events.findIndex((e) => e.type === 'evaluation-started' && !initial.has(e.hash));
    expect(firstChild).toBeGreaterThan(-1);
    expect(firstChild).toBeLessThan(harness.events.indexOf(generations[0]!));
    // Each evaluation ran once: elites and rediscovered genomes come from the cache.
    expect(new Set(evaluator.evaluated).size).toBe(evaluator.evaluated.length);
    expect(ofType(harness.events, 'evaluation-finished')).toHaveLength(evaluator.evaluated.length);
    // A checkpoint when it starts and after every tell.
    expect(harness.checkpoints).toHaveLength(BUDGET + 1);
    const finished = ofType(harness.events, 'run-finished')[0]!;
    expect(Object.keys(finished.baselines)).toEqual(['sgd-momentum', 'adam']);
    expect(finished.best.fitness).toBe(Math.max(...told.map((t) => t.fitness)));
  });

  it('serialises its calls on an evaluator that cannot overlap them, and still finishes', async () => {
    const evaluator = new ScriptedEvaluator(2, false);
    const { result, harness } = await run(evaluator);
    expect(result.status).toBe('finished');
    expect(evaluator.maxOverlap).toBe(1);
    expect(ofType(harness.events, 'genome-told')).toHaveLength(BUDGET);
  });

  it('resumes from any checkpoint: genomes in flight are evaluated again, finished work comes from the cache', async () => {
    const first = await run(new ScriptedEvaluator(3, true));
    const stopAt = first.harness.checkpoints[11]!;
    const state = stopAt.engine as SteadyStateEngineState;
    expect(state.pending.length).toBeGreaterThan(0);
    // The journal up to that checkpoint: the records finished by then (some of genomes still pending).
    const tellsSoFar = state.told;
    const toldEvents = first.harness.events.findIndex((e) => e.type === 'genome-told' && e.told === tellsSoFar + 1);
    const cache = EvaluationCache.fromEvents(first.harness.events.slice(0, toldEvents));
    const evaluator = new ScriptedEvaluator(4, true);
    const engine = SteadyStateEngine.restore(engineSettings, deps, structuredClone(state));
    const resumed = await run(evaluator, { engine, harness: { events: [], checkpoints: [], cache }, restored: stopAt });
    expect(resumed.result.status).toBe('finished');
    expect(engine.state.told).toBe(BUDGET);
    // Nothing that was journaled before the stop is evaluated again.
    const before = new Set(
      ofType(first.harness.events.slice(0, toldEvents), 'evaluation-finished').map(
        (e) => `${e.record.hash}/${e.record.task}/${e.record.seedIndex}`,
      ),
    );
    expect(evaluator.evaluated.filter((k) => before.has(k))).toEqual([]);
    expect(resumed.harness.events.filter((e) => e.type === 'generation-finished')).toHaveLength(
      3 - stopAt.history.length,
    );
  });

  it('stops gracefully when aborted: run-stopped, nothing in flight left running', async () => {
    const controller = new AbortController();
    const evaluator = new ScriptedEvaluator(5, true);
    const harness: Harness = { events: [], checkpoints: [], cache: new EvaluationCache() };
    const bus = new EventBus();
    bus.on((e) => {
      harness.events.push(e);
      if (e.type === 'genome-told' && e.told === 5) controller.abort();
    });
    const engine = SteadyStateEngine.create(engineSettings, deps, 5);
    const result = await runSteadyState(runSettings, {
      engine,
      evaluator,
      cache: harness.cache,
      bus,
      formula: () => '',
      persistence: {
        saveCheckpoint: (c: RunCheckpoint) => void harness.checkpoints.push(c),
        writeBest: () => undefined,
        writeSummary: () => undefined,
      },
      signal: controller.signal,
    });
    expect(result.status).toBe('stopped');
    expect(evaluator.overlap).toBe(0);
    expect(ofType(harness.events, 'run-stopped')).toHaveLength(1);
    expect(engine.state.told).toBeLessThan(BUDGET);
  });

  it('stops with EVALUATION_FAILED when every evaluation of generation 0 fails', async () => {
    await expect(run(new ScriptedEvaluator(6, true, () => true))).rejects.toMatchObject({ code: 'EVALUATION_FAILED' });
  });

  it("propagates an evaluator's error and waits for the other calls to end", async () => {
    const evaluator = new ScriptedEvaluator(7, true);
    const broken: Evaluator = {
      id: 'broken',
      concurrent: true,
      evaluate: (requests, sink, signal) =>
        evaluator.calls === 6
          ? Promise.reject(new EvoptError('PLUGIN_LOAD_FAILED', 'boom'))
          : evaluator.evaluate(requests, sink, signal),
      close: async () => undefined,
    };
    await expect(run(broken)).rejects.toMatchObject({ code: 'PLUGIN_LOAD_FAILED' });
    expect(evaluator.overlap).toBe(0);
  });
});
