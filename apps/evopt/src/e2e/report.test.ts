import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse, type HTMLElement } from 'node-html-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeXml } from '../format/escape.js';
import { events, onlyRun, project, runCli, SMOKE } from './cli.js';

const chart = (root: HTMLElement, title: string) => {
  const svg = root.querySelectorAll('svg').find((s) => s.querySelector('title')?.text === title);
  if (!svg) throw new Error(`no chart titled "${title}"`);
  return svg;
};

describe('evopt report (the built binary, after a smoke run)', () => {
  let cwd: string;
  let runDir: string;

  beforeAll(async () => {
    cwd = project(SMOKE);
    const evolved = await runCli(['evolve', '--progress', 'json'], cwd);
    expect(evolved.code).toBe(0);
    runDir = onlyRun(cwd);
  });

  it('writes report.html beside the run, with a chart point per generation and series', async () => {
    const result = await runCli(['report', runDir], cwd);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const path = join(runDir, 'report.html');
    expect(result.stdout.trim()).toBe(path);
    const html = readFileSync(path, 'utf8');
    const root = parse(html);
    expect(root.querySelectorAll('svg')).toHaveLength(4);

    const journal = events(runDir);
    const finished = journal.filter((e) => e.type === 'generation-finished');
    const fitness = chart(root, 'Fitness per generation');
    for (const series of ['best', 'mean', 'median'])
      expect(fitness.querySelectorAll(`circle.point[data-series="${series}"]`)).toHaveLength(finished.length);
    const bests = fitness
      .querySelectorAll('circle.point[data-series="best"]')
      .map((p) => Number(p.getAttribute('data-value')));
    expect(bests).toEqual(finished.map((e) => (e.type === 'generation-finished' ? e.best.fitness : Number.NaN)));
    const runFinished = journal.find((e) => e.type === 'run-finished');
    const baselines = runFinished?.type === 'run-finished' ? Object.keys(runFinished.baselines) : [];
    expect(baselines.length).toBeGreaterThan(0);
    expect(fitness.querySelectorAll('g.reference').map((r) => r.getAttribute('data-label'))).toEqual(
      expect.arrayContaining(baselines),
    );
    expect(chart(root, 'Diversity per generation').querySelectorAll('circle.point')).toHaveLength(finished.length);
    expect(chart(root, 'Term mix of the population').querySelectorAll('g.column')).toHaveLength(finished.length);
    // The best genome and each baseline, on the one task and on all tasks.
    expect(chart(root, 'Best genome vs baselines, per task').querySelectorAll('rect.bar')).toHaveLength(
      (1 + baselines.length) * 2,
    );
    expect(root.querySelectorAll('table.generations tbody tr')).toHaveLength(finished.length);

    const best = JSON.parse(readFileSync(join(runDir, 'best.json'), 'utf8')) as { formula: string; hash: string };
    expect(html).toContain(`<p class="formula">${escapeXml(best.formula)}</p>`);
    expect(root.querySelector('#best .formula')?.text).toBe(best.formula);
    expect(root.querySelector('.status')?.text).toMatch(/^finished · 3 of 3 generations finished/);

    expect(html).not.toMatch(/<script\b/i);
    expect((html.match(/https?:\/\/[^\s"'<>]*/g) ?? []).filter((url) => url !== 'http://www.w3.org/2000/svg')).toEqual(
      [],
    );
  });

  it('finds a run by id and writes --out', async () => {
    const result = await runCli(['report', basename(runDir), '--out', 'reports/run-report.html'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(join(cwd, 'reports', 'run-report.html'));
    expect(readFileSync(join(cwd, 'reports', 'run-report.html'), 'utf8')).toContain(
      `evopt run <code>${basename(runDir)}</code>`,
    );
  });

  it('reports a corrupt journal line in the page and uses the rest', async () => {
    const copy = join(cwd, 'damaged-run');
    cpSync(runDir, copy, { recursive: true });
    appendFileSync(join(copy, 'events.jsonl'), '{"type":"generation-fin\n');
    const result = await runCli(['report', copy], cwd);
    expect(result.code).toBe(0);
    const root = parse(readFileSync(join(copy, 'report.html'), 'utf8'));
    expect(root.querySelector('.skipped-lines strong')?.text).toBe('1');
    expect(root.querySelectorAll('svg')).toHaveLength(4);
  });

  it('fails with exit status 4 and a fix for a run that does not exist', async () => {
    const result = await runCli(['report', 'no-such-run'], cwd);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^error: No run directory: .*no-such-run\./);
    expect(result.stderr).toMatch(/evopt runs/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'no-such-run'))).toBe(false);
  });
});
