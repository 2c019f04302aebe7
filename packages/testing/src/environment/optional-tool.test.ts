import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandRuns, probeTool, type OptionalTool } from './optional-tool.js';

const node = process.execPath;

describe('commandRuns', () => {
  it('is true for a command that exits with 0', () => {
    expect(commandRuns(node, ['-e', ''])).toBe(true);
  });

  it('says a command is not found, as with REDIS_SERVER=/nonexistent', () => {
    expect(commandRuns('/nonexistent/redis-server', ['--version'])).toBe(
      'cannot run /nonexistent/redis-server: not found',
    );
  });

  it('says a file that is there but cannot be executed cannot run', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'evopt-tool-')), 'redis-server');
    writeFileSync(file, '#!/bin/sh\nexit 0\n');
    chmodSync(file, 0o644);
    expect(commandRuns(file, ['--version'])).toMatch(new RegExp(`^cannot run ${file} --version: .*EACCES`));
  });

  it('names the exit status and the last line of stderr, as Python prints a missing module', () => {
    const script =
      "console.error('Traceback (most recent call last):'); console.error(\"ModuleNotFoundError: No module named 'torch'\"); process.exit(1)";
    expect(commandRuns(node, ['-e', script])).toBe(
      `${node} -e ${script} exited with 1: ModuleNotFoundError: No module named 'torch'`,
    );
  });
});

describe('probeTool', () => {
  const missing = (name: string): OptionalTool => ({
    name,
    found: 'cannot run /x: not found',
    install: 'apt-get install -y x',
    requireEnv: 'EVOPT_REQUIRE_X',
  });

  it('runs the tests, silently, when the tool is there', () => {
    const lines: string[] = [];
    expect(probeTool({ ...missing('here'), found: true }, { EVOPT_REQUIRE_X: '1' }, (l) => lines.push(l))).toBe(true);
    expect(lines).toEqual([]);
  });

  it('skips when it is missing, with one line naming it, why, how to install it and how to require it', () => {
    const lines: string[] = [];
    expect(probeTool(missing('tool-a'), {}, (l) => lines.push(l))).toBe(false);
    expect(probeTool(missing('tool-a'), { EVOPT_REQUIRE_X: '0' }, (l) => lines.push(l))).toBe(false);
    expect(lines).toEqual([
      'tests skipped: tool-a is missing (cannot run /x: not found); install it: apt-get install -y x (set EVOPT_REQUIRE_X=1 to fail instead)',
    ]);
  });

  it('fails, with the same message, when the require variable is 1', () => {
    const lines: string[] = [];
    expect(() => probeTool(missing('tool-b'), { EVOPT_REQUIRE_X: '1' }, (l) => lines.push(l))).toThrow(
      'tool-b is missing (cannot run /x: not found); install it: apt-get install -y x (EVOPT_REQUIRE_X=1 requires it)',
    );
    expect(lines).toEqual([]);
  });
});
