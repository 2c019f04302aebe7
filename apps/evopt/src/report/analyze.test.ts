import { describe, expect, it } from 'vitest';
import { analyzeRun, termNotation } from './analyze.js';
import {
  finishedEvents,
  generation0,
  generation1,
  GENOMES,
  genome,
  reportData,
  runStarted,
  stamped,
  TASKS,
} from './__fixtures__/synthetic-run.js';

describe('analyzeRun', () => {
  it('takes the setup from run-started', () => {
    const { settings } = analyzeRun(reportData(finishedEvents()));
    expect(settings).toMatchObject({
      preset: 'smoke',
      seed: 7,
      tasks: TASKS,
      populationSize: 3,
      generations: 2,
      steps: 10,
      seeds: 2,
      workers: 2,
      baselineIds: ['adam'],
      expectedPerGenome: 4,
    });
  });

  it('gives one row per generation with the share of genomes using each primitive', () => {
    const { generations, primitives } = analyzeRun(reportData(finishedEvents()));
    expect(generations.map((g) => [g.generation, g.best, g.mean])).toEqual([
      [0, 0.9, 0.55],
      [1, 0.95, 0.5333],
    ]);
    expect(generations[0]?.termShares).toEqual({ adam: 2 / 3, momentum: 1 / 3, sign: 1 / 3 });
    // adam is used most over the run, then sign (1/3 + 2/3), then momentum.
    expect(primitives).toEqual(['adam', 'sign', 'momentum']);
  });

  it('keeps one row per generation when a replayed run journaled a generation twice', () => {
    const { generations } = analyzeRun(
      reportData([runStarted(), ...generation0(), ...generation0(), ...generation1()]),
    );
    expect(generations.map((g) => g.generation)).toEqual([0, 1]);
  });

  it('scores the baselines per task from their records, whiskers over seeds', () => {
    const [adam] = analyzeRun(reportData(finishedEvents())).baselines;
    expect(adam?.id).toBe('adam');
    expect(adam?.hash).toBe('h-adam');
    expect(adam?.fitness).toBe(0.65);
    expect(adam?.perTask['task-a']?.mean).toBeCloseTo(0.6, 12);
    expect(adam?.perTask['task-a']).toMatchObject({ min: 0.5, max: 0.7, seeds: 2 });
    expect(adam?.perTask['task-b']?.mean).toBeCloseTo(0.7, 12);
  });

  it("computes a baseline's fitness from its records when neither run-finished nor the checkpoint has it", () => {
    const [adam] = analyzeRun(reportData([runStarted(), ...generation0()], { status: 'running' })).baselines;
    expect(adam?.fitness).toBeCloseTo(0.65, 12);
  });

  it('leaves a baseline unscored while its records are incomplete', () => {
    const partial = generation0().filter(
      (e) => !(e.type === 'evaluation-finished' && e.record.hash === 'h-adam' && e.record.seedIndex === 1),
    );
    const [adam] = analyzeRun(reportData([runStarted(), ...partial], { status: 'running' })).baselines;
    expect(adam?.fitness).toBeNaN();
  });

  it('ranks the last finished generation by fitness, counting diverged and failed records as −1', () => {
    const top = analyzeRun(reportData(finishedEvents())).top;
    expect(top?.generation).toBe(1);
    expect(top?.genomes.map((g) => g.hash)).toEqual(['h-three', 'h-one', 'h-four']);
    const [three, , four] = top?.genomes ?? [];
    expect(three?.fitness).toBeCloseTo(0.95, 12);
    expect(four?.fitness).toBeCloseTo(-0.25, 12);
    expect(four?.perTask['task-a']).toBe(-1);
    expect(four).toMatchObject({ evaluations: 4, expected: 4, formula: null, terms: '−0.50·momentum' });
    expect(three?.formula).toBe('0.41·sign(g) + 3.63·m/(√v+ε)');
  });

  it('marks the baseline among the top genomes', () => {
    const top = analyzeRun(reportData([runStarted(), ...generation0()])).top;
    expect(top?.genomes.find((g) => g.hash === 'h-adam')?.baseline).toBe('adam');
    expect(top?.genomes.find((g) => g.hash === 'h-one')?.baseline).toBeNull();
  });

  it('takes the best genome from run-finished and finds the generation that found it', () => {
    const { best } = analyzeRun(reportData(finishedEvents()));
    expect(best?.scored.hash).toBe('h-three');
    expect(best?.generation).toBe(1);
    expect(best?.perTask['task-a']).toMatchObject({ min: 0.95, max: 0.97, seeds: 2 });
  });

  it("counts evaluation statuses and each worker's throughput from the records", () => {
    const { stats } = analyzeRun(reportData(finishedEvents()));
    expect(stats).toMatchObject({ total: 20, ok: 17, diverged: 1, failed: 2, cacheHits: 4 });
    // thread-1 ran 16 records of 30 ms, thread-2 4 of 60 ms.
    expect(stats.meanMs).toBeCloseTo((16 * 30 + 4 * 60) / 20, 9);
    expect(stats.workers.map((w) => [w.worker, w.evaluations, w.busyMs])).toEqual([
      ['thread-1', 16, 480],
      ['thread-2', 4, 240],
    ]);
    expect(stats.workers[0]?.perMinute).toBeCloseTo(2000, 9);
    expect(stats.workers[1]?.perMinute).toBeCloseTo(1000, 9);
    expect(stats.errors).toEqual([{ message: 'out of memory', count: 2 }]);
  });

  it('describes a running run with its generation in progress', () => {
    const inProgress = [
      stamped({
        type: 'generation-started',
        generation: 1,
        population: [GENOMES.one, GENOMES.three, GENOMES.four],
        toEvaluate: 8,
        cached: 4,
      }),
      ...generation1()
        .filter((e) => e.type === 'evaluation-finished')
        .slice(0, 3),
    ];
    const { status } = analyzeRun(
      reportData([runStarted(), ...generation0(), ...inProgress], {
        status: 'running',
        lockedBy: { pid: 4242, hostname: 'box', startedAt: '' },
      }),
    );
    expect(status.partial).toBe(true);
    expect(status.text).toContain('1 of 2 generations finished');
    expect(status.text).toContain('generation 1 had 3 of 8 evaluations done');
    expect(status.text).toContain('process 4242 on box');
  });

  it("fills generations the journal lost from the checkpoint's history", () => {
    const history = [0, 1].map((generation) => ({
      generation,
      best: 0.9,
      mean: 0.5,
      median: 0.5,
      bestHash: 'h-one',
      evaluated: 12,
      cached: 0,
      diverged: 0,
      failed: 0,
    }));
    const { generations } = analyzeRun(
      reportData([runStarted(), ...generation0()], {
        status: 'stopped',
        checkpoint: { savedAt: '', history, baselines: { adam: 0.65 }, best: null },
      }),
    );
    expect(generations.map((g) => [g.generation, g.mean, g.termShares === null])).toEqual([
      [0, 0.55, false],
      [1, 0.5, true],
    ]);
  });

  it("names a failed run's error among the warnings", () => {
    const failed = stamped({
      type: 'run-failed',
      runId: 'synthetic',
      error: { name: 'EvoptError', code: 'EVALUATION_FAILED', message: 'Every evaluation of generation 1 failed.' },
    });
    const analysis = analyzeRun(reportData([runStarted(), failed], { status: 'failed' }));
    expect(analysis.warnings).toContain('run failed: Every evaluation of generation 1 failed.');
    expect(analysis.status.text).toContain('EVALUATION_FAILED');
  });
});

describe('termNotation', () => {
  it("writes terms by primitive id with the paper's signs", () => {
    expect(
      termNotation(
        genome([
          ['sign', 0.41],
          ['adam', -2],
        ]),
      ),
    ).toBe('0.41·sign − 2.00·adam');
    expect(termNotation(genome([['grad', -1]]))).toBe('−1.00·grad');
  });
});
