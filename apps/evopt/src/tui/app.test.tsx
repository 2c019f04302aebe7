import { stripVTControlCharacters } from 'node:util';
import { render as renderInk } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { renderFormula } from '@evopt/core';
import { formulaOf, hashOf, midRun, registries } from './__fixtures__/run.js';
import { asStreams, FakeStdin, FakeStdout, KEYS, settle, until, widest } from './__fixtures__/terminal.js';
import { App, type TuiActions } from './app.js';
import type { RankedGenome } from './state.js';
import { TuiStore } from './store.js';

function storeWith(events = midRun().events): TuiStore {
  const store = new TuiStore();
  for (const event of events) store.push(event);
  store.flush();
  return store;
}

function recorder() {
  const calls = { quit: 0, pause: 0, exported: [] as (RankedGenome | null)[] };
  const actions: TuiActions = {
    quit: () => void (calls.quit += 1),
    pause: () => void (calls.pause += 1),
    exportGenome: (genome) => void calls.exported.push(genome),
  };
  return { calls, actions };
}

const formula = (genome: Parameters<typeof renderFormula>[0]) => renderFormula(genome, registries);

function mount(store: TuiStore, columns: number, rows = 40, mode: 'live' | 'watch' = 'live') {
  const { calls, actions } = recorder();
  const now = Date.parse(store.getSnapshot().startedAt!) + 75_000;
  const instance = render(
    <App store={store} mode={mode} actions={actions} formulaOf={formula} size={{ columns, rows }} now={now} />,
  );
  const frame = () => stripVTControlCharacters(instance.lastFrame() ?? '');
  /** The live area: the frame without the history drawn above it by <Static>. */
  const live = () => frame().split('\n').slice(store.getSnapshot().history.length);
  const press = async (keys: string) => {
    instance.stdin.write(keys);
    await settle();
  };
  return { calls, instance, frame, live, press };
}

describe.each([80, 120])('the TUI at %i columns', (columns) => {
  it('shows the run: header, progress, chart, best formula, table, worker and log, within the width', () => {
    const { frame, live, instance } = mount(storeWith(), columns);
    const text = frame();
    for (const part of [
      'evopt · run tui-run',
      'generation 2/10',
      '3/4 evaluated · 12 cached · 0 diverged · 0 failed',
      'step 30/60 · 120 steps/s',
      'checkpoint saved after generation 1',
      'q stop · p pause',
    ])
      expect(text).toContain(part);
    expect(text).toMatch(/best\s+█\s+0\.9050/);
    expect(text).toContain(formulaOf('evolved'));
    expect(text).toMatch(/^ {2}1\s+0\.9050/m);
    expect(widest(live().join('\n'))).toBeLessThanOrEqual(columns);
    expect(live().length).toBeLessThan(40);
    instance.unmount();
  });

  it('draws each finished generation once, above the live area, and grows the chart', async () => {
    const script = midRun();
    const store = storeWith(script.events);
    const { frame, instance } = mount(store, columns);
    expect(frame().split('\n')[0]).toMatch(/^generation 1\/10 {2}best 0\.9050/);
    const before = script.events.length;
    script.generation(1, ['evolved', 'adam', 'fresh', 'sgd']);
    for (const event of script.events.slice(before)) store.push(event);
    store.flush();
    await settle();
    const lines = frame().split('\n');
    expect(lines.filter((l) => l.startsWith('generation 1/10 '))).toHaveLength(1);
    expect(lines[1]).toMatch(/^generation 2\/10 {2}best 0\.9550/);
    expect(frame()).toMatch(/best\s+[▁▂▃▄▅▆▇]█\s+0\.9550/);
    instance.unmount();
  });
});

describe('keys', () => {
  it('q asks to stop (and shows it), a second q asks again: the command forces exit', async () => {
    const { calls, frame, press, instance } = mount(storeWith(), 100);
    await press('q');
    expect(calls.quit).toBe(1);
    expect(frame()).toContain('stopping… q again to force');
    await press('q');
    expect(calls.quit).toBe(2);
    instance.unmount();
  });

  it('Ctrl-C (a key in raw mode) stops like q', async () => {
    const { calls, press, instance } = mount(storeWith(), 100);
    await press('\u0003');
    expect(calls.quit).toBe(1);
    instance.unmount();
  });

  it('p pauses; PAUSED shows once the session journals it', async () => {
    const store = storeWith();
    const { calls, frame, press, instance } = mount(store, 100);
    await press('p');
    expect(calls.pause).toBe(1);
    store.push({ type: 'dispatch-paused', paused: true, time: store.getSnapshot().lastEventAt! });
    store.flush();
    await settle();
    expect(frame()).toContain('PAUSED');
    instance.unmount();
  });

  it('↑/↓ select a genome, enter opens its records per task and seed, esc goes back', async () => {
    const { frame, press, instance } = mount(storeWith(), 100);
    await press(KEYS.down);
    expect(frame()).toMatch(/^› 1\s+0\.9050/m);
    for (let i = 0; i < 5; i++) await press(KEYS.down);
    expect(frame()).toMatch(/^› 4\s+0\.2775/m);
    await press(KEYS.up);
    await press(KEYS.down);
    await press(KEYS.enter);
    const detail = frame();
    expect(detail).toContain(`genome ${hashOf('wild')} · rank 4`);
    expect(detail).toMatch(/rosenbrock\s+1\s+diverged\s+-1\.0000/);
    expect(detail).toMatch(/quadratic\s+0\s+ok\s+0\.7000/);
    expect(detail).toContain('esc back');
    await press(KEYS.escape);
    expect(frame()).toContain('q stop · p pause');
    expect(frame()).not.toContain('rank 4');
    await press(KEYS.enter);
    await press(KEYS.backspace);
    expect(frame()).not.toContain('rank 4');
    instance.unmount();
  });

  it('e exports the selected genome (the best one when none is selected)', async () => {
    const { calls, press, instance } = mount(storeWith(), 100);
    await press('e');
    await press(KEYS.down);
    await press(KEYS.down);
    await press('e');
    expect(calls.exported.map((g) => g?.hash)).toEqual([hashOf('evolved'), hashOf('adam')]);
    instance.unmount();
  });

  it('? shows the help; esc leaves it. Watching, the help says where to pause', async () => {
    const { frame, press, instance } = mount(storeWith(), 100, 40, 'watch');
    await press('?');
    expect(frame()).toContain('not here: pause from the process running it');
    expect(frame()).toContain('stop watching (the run goes on)');
    await press(KEYS.escape);
    expect(frame()).not.toContain('stop watching');
    expect(frame()).toContain('WATCHING · RUNNING');
    instance.unmount();
  });
});

describe('terminal size', () => {
  it('re-reads the width on resize: per-task columns appear when it grows', async () => {
    const tasks = ['vision/mnist', 'vision/fashion-mnist', 'vision/cifar10'];
    const script = midRun();
    const started = script.events[0]!;
    if (started.type === 'run-started') script.events[0] = { ...started, tasks };
    const stdout = new FakeStdout(80, 40);
    const stdin = new FakeStdin();
    const { actions } = recorder();
    const instance = renderInk(
      <App store={storeWith(script.events)} mode="live" actions={actions} now={Date.parse(started.time)} />,
      { ...asStreams(stdout, stdin), debug: true, exitOnCtrlC: false, patchConsole: false },
    );
    await until(() => stdout.lastFrame().includes('formula'), 'the first frame');
    const header = () =>
      stdout
        .lastFrame()
        .split('\n')
        .find((l) => l.includes('formula')) ?? '';
    expect(header()).not.toContain('mnist');
    expect(widest(stdout.lastFrame())).toBeLessThanOrEqual(80);
    stdout.resize(120);
    await until(() => header().includes('fashion-mnist'), 'the wider table');
    expect(widest(stdout.lastFrame())).toBeLessThanOrEqual(120);
    stdout.resize(80);
    await until(() => !header().includes('mnist'), 'the narrow table again');
    instance.unmount();
  });

  it('fits a short terminal: the live area stays below its height', () => {
    const { live, instance } = mount(storeWith(), 80, 24);
    expect(live().length).toBeLessThan(24);
    expect(live().join('\n')).toContain('step 30/60');
    instance.unmount();
  });

  it.each([
    [80, 20],
    [80, 30],
    [100, 24],
    [120, 50],
    [160, 24],
  ])('keeps the live area within %i×%i', (columns, rows) => {
    const { live, instance } = mount(storeWith(), columns, rows);
    expect(live().length).toBeLessThan(rows);
    expect(widest(live().join('\n'))).toBeLessThanOrEqual(columns);
    instance.unmount();
  });
});
