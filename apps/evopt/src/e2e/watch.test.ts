import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { events, onlyRun, project, runCli, SMOKE, startCli, until } from './cli.js';

/** Slow enough that a watcher started after it joins it mid-run: 100 ms per evaluation, 8 generations. */
const SLOW = { ...SMOKE, ga: { generations: 8 }, tasks: [{ id: 'testing/quadratic', options: { delayMs: 100 } }] };

describe('evopt watch (the built binary)', () => {
  it('follows a run going on in another process, from its first generation to its end', async () => {
    const cwd = project(SLOW);
    const running = startCli(['evolve', '--progress', 'json'], cwd);
    let dir = '';
    await until(() => {
      try {
        dir = onlyRun(cwd);
        return events(dir).some((e) => e.type === 'generation-started');
      } catch {
        return false;
      }
    });
    // A first watcher is stopped with Ctrl-C: it stops watching, and says nothing about journaling.
    const interrupted = startCli(['watch', dir, '--progress', 'plain'], cwd);
    let seen = '';
    interrupted.child.stdout?.on('data', (d: Buffer) => (seen += d.toString()));
    await until(() => seen.includes('evopt run'));
    interrupted.child.kill('SIGINT');
    const stoppedWatching = await interrupted.done;
    expect(stoppedWatching.code).toBe(0);
    expect(stoppedWatching.stderr).not.toMatch(/journaling/);
    const watched = await runCli(['watch', dir, '--progress', 'plain'], cwd);
    const run = await running.done;
    expect(run.code).toBe(0);
    expect(watched.code).toBe(0);
    expect(watched.stderr).not.toMatch(/not running/);
    expect(watched.stdout).toMatch(/^evopt run \S+ · preset smoke/);
    expect(watched.stdout).toMatch(/generation 1\/8: 16 evaluations to run, 0 cached/);
    expect(watched.stdout).toMatch(/generation 8\/8 done in \d+\.\ds: best \d\.\d{4}/);
    expect(watched.stdout).toMatch(/run finished after 8 generations/);
    // Every generation exactly once: the replay and the tail do not overlap.
    expect(watched.stdout.match(/^generation \d\/8 done/gm)).toHaveLength(8);
  });

  it('says a finished run is not running, replays it and shows the final best; --progress json gives its events', async () => {
    const cwd = project(SMOKE);
    expect((await runCli(['evolve', '--run-id', 'done'], cwd)).code).toBe(0);
    const finished = events(onlyRun(cwd)).find((e) => e.type === 'run-finished');
    expect(finished).toBeDefined();
    const plain = await runCli(['watch', 'done', '--progress', 'plain'], cwd);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toContain('run done is not running (finished); showing its journal');
    expect(plain.stdout).toMatch(/generation 3\/3 done in \d+\.\ds/);
    expect(plain.stdout).toContain(
      `  best   ${finished?.type === 'run-finished' ? finished.best.fitness.toFixed(4) : '?'}  `,
    );
    const json = await runCli(['watch', 'done', '--progress', 'json'], cwd);
    const types = json.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { type: string }).type);
    expect(types).toEqual(events(onlyRun(cwd)).map((e) => e.type));
  });

  it('skips corrupt journal lines, counts them, and shows the rest', async () => {
    const cwd = project({ ...SMOKE, ga: { generations: 1 } });
    expect((await runCli(['evolve', '--evaluator', 'inline'], cwd)).code).toBe(0);
    const dir = onlyRun(cwd);
    appendFileSync(join(dir, 'events.jsonl'), '{"type":"evaluation-fin\nnot json at all\n');
    const result = await runCli(['watch', dir, '--progress', 'plain'], cwd);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/events\.jsonl:\d+ skipped \(not valid JSON/);
    expect(result.stderr).toContain('2 corrupt journal lines skipped');
    expect(result.stdout).toMatch(/run finished after 1 generations/);
  });

  it('names the runs there are when the run does not exist', async () => {
    const cwd = project({ ...SMOKE, ga: { generations: 1 } });
    expect((await runCli(['evolve', '--evaluator', 'inline', '--run-id', 'only-one'], cwd)).code).toBe(0);
    const result = await runCli(['watch', 'no-such-run', '--progress', 'plain'], cwd);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/error: Expected a run directory at .*no-such-run/);
    expect(result.stderr).toContain('only-one (finished)');
    expect(result.stderr).toContain('evopt runs');
    expect(existsSync(join(cwd, '.evopt', 'runs', 'no-such-run'))).toBe(false);
  });
});
