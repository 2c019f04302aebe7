import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionControls } from '../session.js';
import { hashOf, midRun, registries } from './__fixtures__/run.js';
import { asStreams, FakeStdin, FakeStdout, settle, until } from './__fixtures__/terminal.js';
import { mountTui, type MountOptions, type TuiHandle } from './mount.js';

let handle: TuiHandle | undefined;
afterEach(async () => {
  await handle?.unmount();
  handle = undefined;
});

function start(options: Partial<MountOptions> & Pick<MountOptions, 'mode'>) {
  const stdout = new FakeStdout(100, 40);
  const stdin = new FakeStdin();
  const runDir = mkdtempSync(join(tmpdir(), 'evopt-tui-'));
  handle = mountTui({ runDir, ...asStreams(stdout, stdin), debug: true, ...options });
  for (const event of midRun().events) handle.listener(event);
  const frame = () => stdout.lastFrame();
  const shows = (text: string) => until(() => frame().includes(text), `"${text}" on screen`);
  const press = async (key: string) => {
    stdin.write(key);
    await settle();
  };
  return { handle, frame, shows, press, runDir };
}

function controls(canPause = true) {
  const calls: boolean[] = [];
  const value: SessionControls = { canPause, setPaused: (paused) => void calls.push(paused) };
  return { calls, value };
}

describe('mountTui (live)', () => {
  it('draws the events the listener queued, batched', async () => {
    const { shows, frame } = start({ mode: 'live', stop: () => {} });
    await shows('3/4 evaluated · 12 cached');
    expect(frame()).toContain('step 30/60');
  });

  it('q stops the run gracefully and says so; a second q calls stop again (forced exit)', async () => {
    let stops = 0;
    const { shows, press } = start({ mode: 'live', stop: () => void (stops += 1) });
    await shows('generation 2/10');
    await press('q');
    expect(stops).toBe(1);
    await shows('stopping after journaling what finished… (q again to force)');
    await press('q');
    expect(stops).toBe(2);
  });

  it("shows the binary's own stop message once, instead of its own", async () => {
    const stop = () => void process.stderr.write('stopping after journaling what finished… (Ctrl-C again to force)\n');
    const { shows, press, frame } = start({ mode: 'live', stop });
    await shows('generation 2/10');
    await press('q');
    await shows('(Ctrl-C again to force)');
    expect(frame().match(/stopping after journaling/g)).toHaveLength(1);
  });

  it('p pauses and resumes dispatching through the session controls', async () => {
    const c = controls();
    const { handle, shows, press } = start({ mode: 'live', stop: () => {} });
    await shows('generation 2/10');
    await press('p');
    await shows('pausing is not available until the run has started');
    handle.setControls(c.value);
    await press('p');
    expect(c.calls).toEqual([true]);
    handle.listener({ type: 'dispatch-paused', paused: true, time: new Date().toISOString() });
    await shows('PAUSED');
    await press('p');
    expect(c.calls).toEqual([true, false]);
  });

  it('p says so when the evaluator cannot pause', async () => {
    const { shows, press } = start({ mode: 'live', stop: () => {}, controls: controls(false).value });
    await shows('generation 2/10');
    await press('p');
    await shows('the worker-pool evaluator cannot pause dispatching');
  });

  it('e writes the selected genome to <run>/exports/<hash>.mjs, .py and .json and logs the paths', async () => {
    const { shows, press, runDir } = start({ mode: 'live', stop: () => {}, registries });
    await shows('generation 2/10');
    await press('e');
    const hash = hashOf('evolved');
    await shows(`${hash}.json`);
    for (const extension of ['mjs', 'py', 'json'])
      expect(existsSync(join(runDir, 'exports', `${hash}.${extension}`)), extension).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, 'exports', `${hash}.json`), 'utf8'))).toMatchObject({ hash });
    expect(readFileSync(join(runDir, 'exports', `${hash}.py`), 'utf8')).toContain('torch');
  });

  it("puts stderr lines (the command's messages) into the event log, and gives stderr back on unmount", async () => {
    const original = process.stderr.write;
    const { handle, shows } = start({ mode: 'live', stop: () => {} });
    expect(process.stderr.write).not.toBe(original);
    process.stderr.write('thread-2: backend wasm\n');
    await shows('thread-2: backend wasm');
    await handle.unmount();
    expect(process.stderr.write).toBe(original);
  });
});

describe('mountTui (watch)', () => {
  it('q quits watching; p says to pause from the process running the run', async () => {
    const { handle, shows, press } = start({ mode: 'watch' });
    await shows('WATCHING · RUNNING');
    await press('p');
    await shows('p is not available here: pause from the process running it');
    let quit = false;
    void handle.quit.then(() => (quit = true));
    await press('q');
    await until(() => quit, 'quit to resolve');
  });

  it('uses primitive ids when the run’s plugins cannot load, and says export is unavailable', async () => {
    const { shows } = start({ mode: 'watch', registries: () => Promise.reject(new Error('no such plugin')) });
    await shows("the run's plugins did not load (no such plugin)");
    await shows('1.00·momentum');
  });

  it('counts skipped journal lines in the header, and stops the clock when the run is gone', async () => {
    const { handle, shows, frame } = start({ mode: 'watch' });
    handle.problem({ line: 7, reason: 'not valid JSON', excerpt: '{"type":"evalu' });
    handle.problem({ line: 9, reason: 'not valid JSON', excerpt: 'garbage' });
    await shows('2 corrupt journal lines skipped');
    handle.notRunning();
    await shows('WATCHING · NOT RUNNING');
    expect(frame()).not.toContain('ETA');
  });
});
