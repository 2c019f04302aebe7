import { describe, expect, it } from 'vitest';
import type { EvaluationRecord, EvoptEvent } from '@evopt/core';
import { entry, formulaOf, hashOf, midRun, Script, STEPS, type GenomeName } from './__fixtures__/run.js';
import { elapsedMs, etaMs, remainingEvaluations, throughput } from './selectors.js';
import { initialState, LOG_LIMIT, reduce, reduceAll, type TuiState } from './state.js';

const fold = (events: readonly EvoptEvent[]): TuiState => reduceAll(initialState(), events);

describe('reduce: the TUI view model from run events', () => {
  it('takes the header from run-started and the backend from worker-info', () => {
    const state = fold(midRun().events);
    expect(state.run).toMatchObject({
      runId: 'tui-run',
      preset: 'smoke',
      workers: 2,
      generations: 10,
      tasks: ['quadratic', 'rosenbrock'],
    });
    expect(state.phase).toBe('running');
    expect(state.backend).toBe('wasm');
    expect(state.devices).toEqual(['cpu']);
  });

  it('counts the current generation: evaluated, cached, diverged and failed', () => {
    const script = new Script().start().generation(0, ['sgd', 'adam', 'evolved', 'wild'], { finish: false });
    const running = fold(script.events);
    expect(running.current).toMatchObject({
      generation: 0,
      toEvaluate: 16,
      cached: 0,
      evaluated: 16,
      diverged: 1,
      failed: 0,
      done: false,
    });
    const next = fold(midRun().events);
    expect(next.current).toMatchObject({
      generation: 1,
      toEvaluate: 4,
      cached: 12,
      evaluated: 3,
      diverged: 0,
      done: false,
    });
  });

  it('steady state: a genome told mid-generation joins the genomes the panels list, once', () => {
    const script = new Script().start().generation(0, ['sgd', 'adam'], { finish: false });
    const running = fold(script.events);
    const { hash, genome } = entry('wild');
    const told = {
      type: 'genome-told',
      time: running.lastEventAt!,
      generation: 0,
      told: 3,
      hash,
      genome,
      fitness: 0.5,
      admitted: true,
      replaced: null,
    } as const;
    const once = reduce(running, told);
    expect(once.current?.population.map((e) => e.hash)).toEqual([hashOf('sgd'), hashOf('adam'), hash]);
    expect(reduce(once, told).current?.population).toHaveLength(3);
  });

  it('keeps one history row per finished generation, with best and mean', () => {
    const script = midRun();
    const state = fold(script.events);
    expect(state.history).toHaveLength(1);
    const scored = script.scored(['sgd', 'adam', 'evolved', 'wild']);
    expect(state.history[0]).toMatchObject({
      generation: 0,
      best: script.fitnessOf('evolved'),
      bestHash: hashOf('evolved'),
      diverged: 1,
    });
    expect(state.history[0]?.mean).toBeCloseTo(scored.reduce((a, s) => a + s.fitness, 0) / 4, 12);
  });

  it('ranks the last finished generation from its records, best first, with per-task scores', () => {
    const script = midRun();
    const state = fold(script.events);
    expect(state.top.map((t) => t.hash)).toEqual((['evolved', 'adam', 'sgd', 'wild'] as GenomeName[]).map(hashOf));
    expect(state.top.map((t) => t.rank)).toEqual([1, 2, 3, 4]);
    const wild = state.top[3];
    expect(wild?.fitness).toBeCloseTo(script.fitnessOf('wild'), 12);
    expect(wild?.perTask['rosenbrock']).toBeCloseTo((0.7 - 1) / 2, 12);
    // Only the generation's best arrives with its formula; the UI renders the others.
    expect(state.top[0]?.formula).toBe(formulaOf('evolved'));
    expect(state.top[1]?.formula).toBeNull();
    expect(state.termCounts).toEqual({ momentum: 1, adam: 2, sign: 2, nesterov: 1 });
  });

  it('scores the Adam baseline (generation 0, at the index of "adam" in run-started.baselines) once its records are in', () => {
    const script = new Script().start();
    const partial = new Script().start();
    partial.emit({
      type: 'generation-started',
      generation: 0,
      population: [entry('sgd'), entry('adam'), entry('evolved')],
      toEvaluate: 12,
      cached: 0,
    });
    let state = fold(partial.events);
    expect(state.adam).toEqual({ hash: hashOf('adam'), fitness: null });
    script.generation(0, ['sgd', 'adam', 'evolved', 'wild'], { finish: false });
    state = fold(script.events);
    expect(state.adam.hash).toBe(hashOf('adam'));
    expect(state.adam.fitness).toBeCloseTo(script.fitnessOf('adam'), 12);
  });

  it('takes Adam from run-finished.baselines when the run ends', () => {
    const script = midRun();
    const best = script.scored(['evolved'])[0];
    script.emit({
      type: 'run-finished',
      runId: 'tui-run',
      generations: 2,
      best: best!,
      evaluations: 20,
      cacheHits: 12,
      baselines: { 'sgd-momentum': 0.8, adam: 0.5 },
    });
    const state = fold(script.events);
    expect(state.adam.fitness).toBe(0.5);
    expect(state.phase).toBe('finished');
    expect(state.log.at(-1)?.text).toMatch(/run finished after 2 generations: best 0\.9050/);
  });

  it("tracks each worker's current evaluation and clears it when the record arrives", () => {
    const state = fold(midRun().events);
    expect(state.workers.get('thread-2')?.current).toEqual({
      hash: hashOf('fresh'),
      task: 'rosenbrock',
      seedIndex: 1,
      step: 30,
      totalSteps: STEPS,
      stepsPerSecond: 120,
    });
    expect(state.workers.get('thread-1')?.current).toBeNull();
    expect(state.workers.get('thread-1')?.backend).toBe('wasm');
  });

  it('logs new bests, checkpoints, failures, warnings and pauses', () => {
    const script = midRun();
    const failed: EvaluationRecord = {
      hash: hashOf('fresh'),
      task: 'quadratic',
      seedIndex: 1,
      steps: STEPS,
      seed: 1,
      status: 'failed',
      score: -1,
      metrics: {},
      stepsCompleted: 0,
      durationMs: 5,
      worker: 'thread-1',
      error: { name: 'Error', message: 'out of memory' },
    };
    script.emit({ type: 'evaluation-finished', record: failed });
    script.emit({ type: 'warning', code: 'STALE_LOCK', message: 'took over a stale run.lock' });
    script.emit({ type: 'dispatch-paused', paused: true });
    const state = fold(script.events);
    const kinds = state.log.map((l) => `${l.kind}: ${l.text}`);
    expect(kinds).toContain(
      `best: new best ${script.fitnessOf('evolved').toFixed(4)} in generation 1: ${formulaOf('evolved')}`,
    );
    expect(kinds).toContain('checkpoint: checkpoint saved after generation 1');
    expect(
      kinds.some((k) => /^failure: evaluation failed: [0-9a-f]{8} on quadratic seed 1: out of memory$/.test(k)),
    ).toBe(true);
    expect(kinds).toContain('warning: took over a stale run.lock');
    expect(state.paused).toBe(true);
    expect(state.current?.failed).toBe(1);
    expect(reduce(state, { type: 'dispatch-paused', paused: false, time: state.lastEventAt! }).paused).toBe(false);
  });

  it('keeps the history across a resume, but starts a new session of workers and throughput', () => {
    const script = midRun();
    script.emit({ type: 'run-stopped', runId: 'tui-run', generation: 1, reason: 'stopped by the user' });
    const stopped = fold(script.events);
    expect(stopped.phase).toBe('stopped');
    script.start(true);
    const resumed = fold(script.events);
    expect(resumed.phase).toBe('running');
    expect(resumed.run?.resumed).toBe(true);
    expect(resumed.history).toHaveLength(1);
    expect(resumed.workers.size).toBe(0);
    expect(resumed.throughput).toEqual({ since: null, lastAt: null, finished: 0 });
    expect(resumed.endedAt).toBeNull();
  });

  it('folds a batch exactly as it folds one event at a time, and never changes the state it is given', () => {
    const events = midRun().events;
    const half = fold(events.slice(0, 30));
    const frozen = JSON.stringify({
      ...half,
      records: [...half.records],
      workers: [...half.workers],
      formulas: [...half.formulas],
    });
    const batched = reduceAll(half, events.slice(30));
    const oneByOne = events.slice(30).reduce(reduce, half);
    expect(batched).toEqual(oneByOne);
    expect(
      JSON.stringify({ ...half, records: [...half.records], workers: [...half.workers], formulas: [...half.formulas] }),
    ).toBe(frozen);
    expect(reduceAll(half, [])).toBe(half);
  });

  it('keeps only the latest checkpoint in the log, so new bests stay on screen', () => {
    const script = midRun();
    script.generation(1, ['evolved', 'adam', 'fresh', 'sgd']);
    script.generation(2, ['fresh', 'evolved', 'adam', 'sgd']);
    const texts = fold(script.events).log.map((l) => l.text);
    expect(texts.filter((t) => t.startsWith('checkpoint'))).toEqual(['checkpoint saved after generation 3']);
    expect(texts.filter((t) => t.startsWith('new best'))).toHaveLength(2);
  });

  it('counts skipped journal lines and logs them', () => {
    let state = initialState();
    for (const line of [3, 9])
      state = reduce(state, {
        type: 'journal-problem',
        time: '2026-01-01T00:00:00.000Z',
        problem: { line, reason: 'not valid JSON', excerpt: '{"ty' },
      });
    expect(state.corruptLines).toBe(2);
    expect(state.log.map((l) => l.text)).toEqual([
      'journal line 3 skipped: not valid JSON',
      'journal line 9 skipped: not valid JSON',
    ]);
  });

  it('marks a run nobody drives any more as incomplete, and stops its clock at the last event', () => {
    const state = reduce(fold(midRun().events), { type: 'not-running', time: '2030-01-01T00:00:00.000Z' });
    expect(state.phase).toBe('incomplete');
    expect(state.endedAt).toBe(state.lastEventAt);
    expect(state.workers.size).toBe(0);
    const finished = midRun();
    finished.emit({ type: 'run-stopped', runId: 'tui-run', generation: 1, reason: 'stopped' });
    expect(reduce(fold(finished.events), { type: 'not-running', time: '2030-01-01T00:00:00.000Z' }).phase).toBe(
      'stopped',
    );
  });

  it(`keeps the last ${LOG_LIMIT} log entries`, () => {
    const notes = Array.from({ length: LOG_LIMIT + 5 }, (_, i) => ({
      type: 'note' as const,
      time: '2026-01-01T00:00:00.000Z',
      kind: 'info' as const,
      message: `note ${i}`,
    }));
    const state = reduceAll(initialState(), notes);
    expect(state.log).toHaveLength(LOG_LIMIT);
    expect(state.log[0]?.text).toBe('note 5');
    expect(state.log.at(-1)?.id).toBe(LOG_LIMIT + 5);
  });
});

describe('selectors: elapsed time and ETA from event times', () => {
  it('measures throughput over this session and estimates the rest of the run from it', () => {
    const state = fold(midRun().events);
    // 19 evaluations finished; one event a second, each evaluation two events.
    expect(state.throughput.finished).toBe(19);
    const rate = throughput(state)!;
    expect(rate).toBeGreaterThan(0.4);
    expect(rate).toBeLessThan(0.6);
    // 1 left in generation 2, then 8 more generations at generation 2's 4 evaluations.
    expect(remainingEvaluations(state)).toBe(1 + 8 * 4);
    expect(etaMs(state)).toBeCloseTo((33 / rate) * 1000, 6);
    const now = Date.parse(state.startedAt!) + 90_000;
    expect(elapsedMs(state, now)).toBe(90_000);
  });

  it('has no ETA once the run has ended, and the elapsed time stops at the end', () => {
    const script = midRun();
    script.emit({ type: 'run-stopped', runId: 'tui-run', generation: 1, reason: 'stopped' });
    const state = fold(script.events);
    expect(etaMs(state)).toBeNull();
    const end = Date.parse(state.endedAt!) - Date.parse(state.startedAt!);
    expect(elapsedMs(state, Date.now())).toBe(end);
  });
});
