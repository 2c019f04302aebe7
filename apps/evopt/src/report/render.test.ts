import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import type { EvoptEvent } from '@evopt/core';
import { renderReport } from './render.js';
import {
  finishedEvents,
  generation0,
  GENOMES,
  reportData,
  runStarted,
  scored,
  stamped,
} from './__fixtures__/synthetic-run.js';
import type { ReportData } from './data.js';

const page = (data: ReportData) => {
  const html = renderReport(data);
  return { html, root: parse(html) };
};
const chart = (root: HTMLElement, title: string) => {
  const svg = root.querySelectorAll('svg').find((s) => s.querySelector('title')?.text === title);
  if (!svg) throw new Error(`no chart titled "${title}"`);
  return svg;
};

/** Every URL in the page other than the SVG namespace. */
const externalReferences = (html: string) =>
  (html.match(/https?:\/\/[^\s"'<>)]*/g) ?? []).filter((url) => url !== 'http://www.w3.org/2000/svg');

describe('renderReport', () => {
  it('draws the fitness, per-task, term-mix and diversity charts from the run', () => {
    const { root } = page(reportData(finishedEvents()));
    expect(root.querySelectorAll('svg')).toHaveLength(4);
    const fitness = chart(root, 'Fitness per generation');
    // best, mean and median: one point per generation each.
    expect(fitness.querySelectorAll('circle.point')).toHaveLength(3 * 2);
    expect(
      fitness.querySelectorAll('circle.point[data-series="mean"]').map((p) => Number(p.getAttribute('data-value'))),
    ).toEqual([0.55, 0.5333]);
    expect(
      fitness
        .querySelectorAll('g.reference')
        .map((r) => [r.getAttribute('data-label'), Number(r.getAttribute('data-value'))]),
    ).toEqual([['adam', 0.65]]);
    const perTask = chart(root, 'Best genome vs baselines, per task');
    // task-a, task-b and all tasks, for the best genome and adam; whiskers on the two tasks.
    expect(perTask.querySelectorAll('rect.bar')).toHaveLength(6);
    expect(perTask.querySelectorAll('g.error-bar')).toHaveLength(4);
    expect(
      Number(
        perTask.querySelector('rect.bar[data-series="adam"][data-category="all tasks"]')?.getAttribute('data-value'),
      ),
    ).toBe(0.65);
    const mix = chart(root, 'Term mix of the population');
    expect(mix.querySelectorAll('rect.segment')).toHaveLength(6);
    expect(chart(root, 'Diversity per generation').querySelectorAll('circle.point')).toHaveLength(2);
  });

  it('tables every generation and the top genomes of the last one', () => {
    const { root } = page(reportData(finishedEvents()));
    expect(root.querySelectorAll('table.generations tbody tr')).toHaveLength(2);
    const top = root.querySelectorAll('table.top-genomes tbody tr');
    expect(top.map((row) => row.querySelector('code')?.text)).toEqual(['h-three', 'h-one', 'h-four']);
  });

  it("shows the best genome's formula, hyperparameters and JSON, escaped", () => {
    const tricky = { ...scored(GENOMES.three, 0.95), formula: '0.41·sign(g) + 3.63·m/(√v+ε) & <b>bold</b>' };
    const events = finishedEvents().map((e): EvoptEvent => (e.type === 'run-finished' ? { ...e, best: tricky } : e));
    const { html, root } = page(reportData(events));
    expect(html).toContain('3.63·m/(√v+ε) &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(root.querySelectorAll('b')).toHaveLength(0);
    expect(root.querySelector('#best .formula')?.text).toBe(tricky.formula);
    expect(root.querySelector('#best')?.text).toContain('lr 1e-3 · β1 0.9 · β2 0.999');
    expect(JSON.parse(root.querySelector('pre.genome-json')?.text ?? '')).toEqual(GENOMES.three.genome);
  });

  it('is self-contained: no scripts, no URLs but the SVG namespace', () => {
    const { html, root } = page(
      reportData(finishedEvents(), { runId: '<script src="https://evil.example/x.js"></script>' }),
    );
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(html).not.toMatch(/<script/i);
    expect(root.querySelector('h1')?.text).toContain('<script src=');
    expect(root.querySelectorAll('link, img, iframe')).toHaveLength(0);
    // The run id is text, so its URL is escaped text, not a reference; the real run has none at all.
    expect(externalReferences(page(reportData(finishedEvents())).html)).toEqual([]);
  });

  it('says how many journal lines were skipped, and lists them', () => {
    const skippedLines = [3, 9, 12].map((line) => ({
      line,
      reason: 'not valid JSON',
      excerpt: '{"type":"evaluation-fin',
    }));
    const { root } = page(
      reportData(finishedEvents(), { skippedLines, problems: ['checkpoint.json was not used: checksum mismatch'] }),
    );
    expect(root.querySelector('.skipped-lines strong')?.text).toBe('3');
    expect(root.querySelectorAll('#problems li').map((li) => li.text)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('line 9: not valid JSON'),
        'checkpoint.json was not used: checksum mismatch',
      ]),
    );
  });

  it('leaves the problems section out of a healthy run', () => {
    expect(page(reportData(finishedEvents())).root.querySelector('#problems')).toBeNull();
  });

  it('marks a run that has not finished as partial', () => {
    const running = page(reportData([runStarted(), ...generation0()], { status: 'running' })).root;
    expect(running.querySelector('.status')?.classList.contains('status-running')).toBe(true);
    expect(running.querySelector('.notice')?.text).toContain('has not finished');
    expect(chart(running, 'Fitness per generation').querySelectorAll('circle.point')).toHaveLength(3);
    const finished = page(reportData(finishedEvents())).root;
    expect(finished.querySelector('.notice')).toBeNull();
  });

  it('still renders a run that has journaled nothing but its start', () => {
    const { root } = page(
      reportData(
        [
          runStarted(),
          stamped({ type: 'run-stopped', runId: 'synthetic', generation: 0, reason: 'stopped by the user' }),
        ],
        { status: 'stopped' },
      ),
    );
    expect(root.querySelectorAll('svg')).toHaveLength(0);
    expect(root.querySelector('#fitness')?.text).toContain('No generation has finished yet');
    expect(root.querySelector('.status')?.text).toContain('0 of 2 generations finished');
  });
});
