import { stripVTControlCharacters } from 'node:util';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { renderFormula, type Genome } from '@evopt/core';
import { formulaOf, hashOf, midRun, registries, Script } from '../__fixtures__/run.js';
import { widest } from '../__fixtures__/terminal.js';
import { columns as columnsOf } from '../../format/width.js';
import { initialState, reduceAll, type TuiState } from '../state.js';
import { BestGenome } from './BestGenome.js';
import { EventLog } from './EventLog.js';
import { FitnessChart } from './FitnessChart.js';
import { GenerationProgress } from './GenerationProgress.js';
import { GenomeDetail } from './GenomeDetail.js';
import { Header } from './Header.js';
import { HistoryLine } from './HistoryLine.js';
import { TermMix } from './TermMix.js';
import { TopGenomes } from './TopGenomes.js';
import { Workers } from './Workers.js';

function frame(element: ReactElement): string {
  const instance = render(element);
  const text = stripVTControlCharacters(instance.lastFrame() ?? '');
  instance.unmount();
  return text;
}

const state: TuiState = reduceAll(initialState(), midRun().events);
const NOW = Date.parse(state.startedAt!) + 75_000;
const formula = (genome: Genome) => renderFormula(genome, registries);

describe.each([80, 120])('panels at %i columns', (width) => {
  it('Header: run id, preset, backend and devices, workers, elapsed time and ETA', () => {
    const text = frame(<Header state={state} width={width} now={NOW} mode="live" />);
    expect(text).toContain('evopt · run tui-run');
    expect(text).toContain('RUNNING');
    for (const part of ['preset smoke', 'backend wasm on cpu', '2 workers (worker-pool)', 'elapsed 1m15s'])
      expect(text).toContain(part);
    expect(text).toMatch(/ETA \d+(s|m\d\ds)/);
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it("Header: only the evaluator's name where it cannot know its workers (a queue)", () => {
    const { workers: _workers, ...run } = { ...state.run!, evaluator: 'queue' };
    const text = frame(<Header state={{ ...state, run }} width={width} now={NOW} mode="live" />);
    expect(text).toContain('evaluator queue');
    expect(text).not.toMatch(/\bworkers?\b/);
  });

  it('GenerationProgress: evaluated, cached, diverged and failed of the current generation', () => {
    const text = frame(<GenerationProgress current={state.current} run={state.run} width={width} />);
    expect(text).toContain('generation 2/10');
    expect(text).toContain('3/4 evaluated · 12 cached · 0 diverged · 0 failed');
    expect(text).toMatch(/▕█+░+▏/);
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it('FitnessChart: best and mean sparklines that grow with each generation', () => {
    const script = midRun();
    script.generation(1, ['evolved', 'adam', 'fresh', 'sgd']);
    script.generation(2, ['fresh', 'evolved', 'adam', 'wild']);
    const later = reduceAll(initialState(), script.events);
    const one = frame(<FitnessChart history={state.history} width={width} adam={state.adam.fitness} />);
    const three = frame(<FitnessChart history={later.history} width={width} adam={later.adam.fitness} />);
    const sparks = (text: string, label: string) =>
      text
        .split('\n')
        .find((l) => l.startsWith(label))
        ?.match(/[▁▂▃▄▅▆▇█]+/)?.[0] ?? '';
    expect(sparks(one, 'best')).toHaveLength(1);
    expect(sparks(three, 'best')).toHaveLength(3);
    expect(sparks(three, 'mean')).toHaveLength(3);
    // Best rose from evolved to fresh: the last column is the highest.
    expect(sparks(three, 'best').at(-1)).toBe('█');
    expect(three).toContain(`best`);
    expect(three).toContain(later.history[2]!.best.toFixed(4));
    expect(three).toContain('generations 1–3');
    expect(widest(three)).toBeLessThanOrEqual(width);
  });

  it('FitnessChart: shows the latest generations when there are more than columns', () => {
    const many = Array.from({ length: 300 }, (_, g) => ({
      ...state.history[0]!,
      generation: g,
      best: g / 300,
      mean: g / 600,
    }));
    const text = frame(<FitnessChart history={many} width={width} adam={null} />);
    expect(text).toContain('–300');
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it('BestGenome: fitness against Adam in %, the formula, hyperparameters and schedule', () => {
    const text = frame(<BestGenome best={state.best} adam={state.adam.fitness} width={width} />);
    const best = state.best!;
    const change = ((best.fitness - state.adam.fitness!) / state.adam.fitness!) * 100;
    expect(text).toContain(`best ${best.fitness.toFixed(4)}`);
    expect(text).toContain(`+${change.toFixed(1)}% vs adam ${state.adam.fitness!.toFixed(4)}`);
    expect(text.replace(/\s+/g, ' ')).toContain(formulaOf('evolved').slice(0, width - 10));
    expect(text).toContain('warmup-cosine(warmupSteps=');
    expect(text).toMatch(/lr \S+ · β1 \S+/);
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it('TopGenomes: rank, fitness, formula and hash; the selected row is marked', () => {
    const text = frame(
      <TopGenomes
        rows={state.top}
        tasks={state.run!.tasks}
        selected={1}
        width={width}
        limit={10}
        formulaOf={formula}
      />,
    );
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/#\s+fitness/);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^› 2\s+0\.8550/);
    expect(text).toContain(hashOf('wild').slice(0, 8));
    expect(text).toContain('0.40·sign(g)');
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it('TermMix: a bar per primitive with its share of the population', () => {
    const text = frame(<TermMix termCounts={state.termCounts} populationSize={4} width={width} limit={8} />);
    expect(text).toContain('term mix');
    expect(text).toMatch(/adam\s+█+░+ 2\/4/);
    expect(text).toMatch(/momentum\s+█+░+ 1\/4/);
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it("Workers: each worker's genome, task, seed, step/total and steps/s", () => {
    const text = frame(<Workers workers={[...state.workers.values()]} width={width} limit={4} />);
    expect(text).toContain(`${hashOf('fresh').slice(0, 8)} · rosenbrock · seed 1 · step 30/60 · 120 steps/s`);
    expect(text).toMatch(/thread-1\s+idle/);
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it('Workers: remote queue workers show as host:pid with their genome, step/total and steps/s', () => {
    const evaluation = (step: number, stepsPerSecond: number | null) => ({
      hash: hashOf('fresh'),
      task: 'testing/quadratic',
      seedIndex: 2,
      step,
      totalSteps: 200,
      stepsPerSecond,
    });
    const workers = [
      { name: 'gpu-node-07:41235', status: 'busy', backend: null, current: evaluation(120, 38.5) },
      { name: 'gpu-node-12:9001', status: 'busy', backend: null, current: evaluation(0, null) },
      { name: 'cpu-box:777', status: 'idle', backend: null, current: null },
    ];
    const lines = frame(<Workers workers={workers} width={width} limit={4} />).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^cpu-box:777\s+idle/);
    expect(lines[1]).toMatch(
      new RegExp(
        `^gpu-node-07:41235 .*${hashOf('fresh').slice(0, 8)} · quadratic · seed 2 · step 120/200 · 38\\.5 steps/s`,
      ),
    );
    expect(lines[2]).toMatch(/^gpu-node-12:9001 .*step 0\/200$/);
    for (const line of lines) expect(columnsOf(line)).toBeLessThanOrEqual(width);
  });

  it('HistoryLine: a finished generation in one line', () => {
    const text = frame(<HistoryLine row={state.history[0]!} generations={10} width={width} />);
    expect(text).toMatch(
      /^generation 1\/10 {2}best 0\.9050 {2}mean 0\.\d{4} {2}16 evaluated, 0 cached, 1 diverged {2}\S/,
    );
    expect(text).not.toContain('failed');
    expect(widest(text)).toBeLessThanOrEqual(width);
  });

  it('GenomeDetail: per-task scores and every record, per seed', () => {
    const wild = state.top.find((t) => t.hash === hashOf('wild'))!;
    const text = frame(
      <GenomeDetail
        genome={wild}
        records={state.records.get(wild.hash) ?? []}
        adam={state.adam.fitness}
        width={width}
        limit={10}
        formulaOf={formula}
      />,
    );
    expect(text).toContain(`genome ${wild.hash} · rank 4`);
    expect(text).toContain('0.40·sign(g)');
    expect(text).toContain('rosenbrock -0.1500');
    const records = text.split('\n').filter((l) => /^\s+(quadratic|rosenbrock)\s+\d\s+(ok|diverged)/.test(l));
    expect(records).toHaveLength(4);
    expect(records.find((l) => /rosenbrock\s+1\s+diverged\s+-1\.0000\s+12/.test(l))).toBeDefined();
    expect(widest(text)).toBeLessThanOrEqual(width);
  });
});

describe('panels on narrow terminals', () => {
  it('TopGenomes drops the per-task columns before the formula gets too narrow', () => {
    const tasks = ['vision/mnist', 'vision/fashion-mnist', 'vision/cifar10'];
    const at = (width: number) =>
      frame(<TopGenomes rows={state.top} tasks={tasks} selected={null} width={width} limit={10} />).split('\n')[0];
    expect(at(120)).toMatch(/fitness\s+mnist\s+fashion-mnist\s+cifar10\s+formula\s+hash/);
    expect(at(80)).toMatch(/fitness\s+formula\s+hash/);
    expect(at(80)).not.toContain('mnist');
    expect(at(100)).toMatch(/mnist/);
  });

  it('truncates a long formula with … instead of wrapping it', () => {
    const script = new Script().start();
    script.generation(0, ['evolved', 'wild', 'fresh', 'adam']);
    const s = reduceAll(initialState(), script.events);
    const text = frame(
      <TopGenomes rows={s.top} tasks={['quadratic']} selected={null} width={50} limit={10} formulaOf={formula} />,
    );
    expect(text.split('\n')).toHaveLength(5);
    expect(text).toContain('…');
    expect(widest(text)).toBeLessThanOrEqual(50);
  });

  it('Workers: more workers than lines shows the busy ones first and counts the rest', () => {
    const idle = (name: string) => ({ name, status: 'idle', backend: null, current: null });
    const busy = {
      ...idle('thread-9'),
      status: 'busy',
      current: { hash: hashOf('adam'), task: 'quadratic', seedIndex: 0, step: 5, totalSteps: 60, stepsPerSecond: null },
    };
    const workers = [idle('thread-1'), idle('thread-2'), idle('thread-3'), idle('thread-4'), busy];
    const lines = frame(<Workers workers={workers} width={80} limit={3} />).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^thread-9 .*step 5\/60/);
    expect(lines[2]).toBe('… 3 more workers');
    expect(frame(<Workers workers={workers} width={80} limit={1} />)).toBe('5 workers, 1 busy');
  });

  it('EventLog shows only the latest entries', () => {
    const text = frame(<EventLog entries={state.log} width={80} limit={2} />);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('checkpoint saved after generation 1');
  });
});
