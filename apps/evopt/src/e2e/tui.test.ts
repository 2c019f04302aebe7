import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BIN, events, onlyRun, project, runCli, SMOKE } from './cli.js';

/** Long enough to still be running when q arrives: 40 ms per evaluation, 50 generations. */
const SLOW = { ...SMOKE, ga: { generations: 50 }, tasks: [{ id: 'testing/quadratic', options: { delayMs: 40 } }] };

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the built binary in a pseudo-terminal (util-linux `script`), as a user at a 100×40 terminal
 * would: stdin and stdout are a TTY, CI is unset. Keys written to `type` reach it as keystrokes.
 */
function inTerminal(args: readonly string[], cwd: string) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    EVOPT_DATA_DIR: join(cwd, 'data'),
    TERM: 'xterm-256color',
    COLUMNS: '100',
    LINES: '40',
  };
  delete env['CI'];
  delete env['CONTINUOUS_INTEGRATION'];
  const command = `stty cols 100 rows 40; exec ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const screen = () => stripVTControlCharacters(output);
  return {
    screen,
    type: (keys: string) => child.stdin.write(keys),
    async until(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
      const start = Date.now();
      while (!pattern.test(screen())) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`timed out waiting for ${pattern} on the screen; it shows:\n${screen().slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async exit(): Promise<number | null> {
      const code = await done;
      child.stdin.end();
      return code;
    },
  };
}

describe('the TUI in a terminal (the built binary in a pty)', () => {
  it('evolve shows the run live; q stops it gracefully with a checkpoint; resume picks the screen up again', async () => {
    const cwd = project(SLOW);
    const run = inTerminal(['evolve', '--run-id', 'tui-test'], cwd);
    // A finished generation drawn above the live area, and the live area on the next one.
    await run.until(/generation 1\/50 {2}best \d\.\d{4} {2}mean/);
    await run.until(/generation \d+\/50 ▕[█░]+▏ \d+\/\d+ evaluated · \d+ cached · \d+ diverged · \d+ failed/);
    expect(run.screen()).toMatch(/evopt · run tui-test/);
    expect(run.screen()).toMatch(/RUNNING/);
    run.type('q');
    expect(await run.exit()).toBe(130);
    const screen = run.screen();
    expect(screen).toMatch(/STOPPED/);
    expect(screen).toMatch(/stopping after journaling what finished/);
    expect(screen).toMatch(/stopped; continue with: evopt resume .*tui-test/);
    // The TUI owned the screen: no plain progress lines were printed.
    expect(screen).not.toMatch(/evaluations to run/);
    const dir = onlyRun(cwd);
    expect(existsSync(join(dir, 'checkpoint.json'))).toBe(true);
    expect(events(dir).at(-1)?.type).toBe('run-stopped');

    const resumed = inTerminal(['resume', dir], cwd);
    // The generations before the resume come from the journal; the run goes on from there.
    await resumed.until(/generation 1\/50 {2}best/);
    await resumed.until(/resumed run tui-test/);
    resumed.type('q');
    expect(await resumed.exit()).toBe(130);
    expect(resumed.screen()).toMatch(/stopped; continue with: evopt resume/);
  });

  it('watch shows a finished run and its final best, and q leaves', async () => {
    const cwd = project(SMOKE);
    expect((await runCli(['evolve', '--run-id', 'done'], cwd)).code).toBe(0);
    const best = events(onlyRun(cwd)).find((e) => e.type === 'run-finished');
    const watching = inTerminal(['watch', 'done'], cwd);
    await watching.until(/WATCHING · FINISHED/);
    await watching.until(/run done is not running \(finished\); showing its journal/);
    expect(watching.screen()).toContain(`best ${best?.type === 'run-finished' ? best.best.fitness.toFixed(4) : '?'}`);
    watching.type('q');
    expect(await watching.exit()).toBe(0);
  });
});
