import { describe, expect, it } from 'vitest';
import { parse } from 'node-html-parser';
import { baselineGenome } from '@evopt/core';
import { analyzeComparison, type ComparedSubject } from './analysis.js';
import { renderChart } from './chart.js';
import { renderMarkdown } from './markdown.js';
import { renderTable, TABLE_WIDTH } from './table.js';
import { results, subject } from './__fixtures__/synthetic.js';

const LONG_RUN_ID = '2026-11-29T06-08-05-b8ef-with-a-much-longer-name';
/** How the table shows it: cut, with an ellipsis. */
const SHOWN = `${LONG_RUN_ID.slice(0, 25)}…`;
const run = { runId: LONG_RUN_ID, dir: `/runs/${LONG_RUN_ID}`, tasks: ['mnist-lite'] };
const candidate: ComparedSubject = {
  ...subject(LONG_RUN_ID, { run }),
  formula: '0.73·g/(|g|+ε) + 2.00·m/(√v+ε) + 0.41·sign(g) + 1.63·(m + 0.9·(g − m)) + 0.12·g',
  genome: { ...baselineGenome('adam'), lr: 1.2e-3 },
};
const tunedAdam: ComparedSubject = {
  ...subject('adam', { genome: { ...baselineGenome('adam'), lr: 3e-3 } }),
  tuning: {
    defaultLr: 1e-3,
    chosenLr: 3e-3,
    chosenMultiplier: 3,
    grid: [0.3, 1, 3].map((m, i) => ({
      multiplier: m,
      lr: 1e-3 * m,
      hash: `h${i}`,
      fitness: { mean: 0.5 + i / 10, low: 0.4, high: 0.9, n: 3 },
    })),
  },
};
const subjects = [candidate, tunedAdam, subject('rmsprop')];
const acc = (score: number, testAccuracy: number) => ({ score, metrics: { testAccuracy } });
const trial = results(
  { subjects, tasks: ['mnist-lite', 'testing/quadratic'], seeds: 3, seed: 0 },
  {
    [LONG_RUN_ID]: {
      'mnist-lite': [acc(0.93, 0.91), acc(0.94, 0.92), acc(0.95, 0.93)],
      'testing/quadratic': [0.99, 0.98, { status: 'diverged', score: Number.NaN }],
    },
    adam: { 'mnist-lite': [acc(0.9, 0.88), acc(0.91, 0.89), acc(0.92, 0.9)], 'testing/quadratic': [0.8, 0.85, 0.9] },
    rmsprop: {
      'mnist-lite': [acc(0.89, 0.87), acc(0.9, 0.88), acc(0.88, 0.86)],
      'testing/quadratic': [0.7, 0.75, 0.8],
    },
  },
);
const tuned = analyzeComparison(trial, {
  subjects,
  splits: { 'mnist-lite': 'test', 'testing/quadratic': 'task default' },
  tuning: { salt: 'tune', multipliers: [0.3, 1, 3] },
  evoptVersion: 'test',
});
const untuned = analyzeComparison(trial, {
  subjects: [candidate, subject('adam'), subject('rmsprop')],
  splits: { 'mnist-lite': 'test' },
  tuning: null,
  evoptVersion: 'test',
});

describe('renderTable', () => {
  const text = renderTable(tuned);
  const lines = text.split('\n');

  it(`fits ${TABLE_WIDTH} columns, even with long run ids and formulas`, () => {
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(text).toContain(SHOWN);
  });

  it('aligns each column: numbers end in the same column on every row', () => {
    const block = lines.slice(lines.findIndex((l) => l.startsWith('overall, all tasks')) + 1).slice(0, 4);
    expect(block[0]).toMatch(/subject\s+fitness\s+95% CI\s+test acc\s+vs adam\s+p\s+div\/fail/);
    const fitnessEnd = block[0]?.indexOf('fitness') as number;
    for (const row of block.slice(1))
      expect(row.slice(fitnessEnd, fitnessEnd + 7)).toMatch(/^\d\.\d{4} $|^ ?\d\.\d{4}$/);
  });

  it('shows the numbers: mean, interval, accuracy, change vs Adam, p with a star, and the reference', () => {
    const mine = tuned.results.find((r) => r.subject === LONG_RUN_ID && r.task === 'mnist-lite');
    const row = lines.find((l) => l.includes(SHOWN) && l.includes((mine?.fitness.mean as number).toFixed(4)));
    expect(row).toBeDefined();
    expect(row).toContain(`[${mine?.fitness.low?.toFixed(4)}, ${mine?.fitness.high?.toFixed(4)}]`);
    expect(row).toContain(`+${mine?.vsReference?.fitness.relative?.toFixed(2)}%`);
    expect(row).toContain('92.0%');
    expect(lines.some((l) => /^\s+adam\s.*\bref\b/.test(l))).toBe(true);
    // The diverged seed of the quadratic shows in its row.
    expect(lines.some((l) => l.includes(SHOWN) && / 1\/0$/.test(l))).toBe(true);
  });

  it('puts search tasks before held-out ones, under headings that say which', () => {
    const search = lines.findIndex((l) => l.startsWith('Search tasks'));
    const heldOut = lines.findIndex((l) => l.startsWith('Held-out tasks'));
    expect(search).toBeGreaterThan(0);
    expect(heldOut).toBeGreaterThan(search);
    expect(lines[search + 1]).toMatch(/^mnist-lite \(split: test\)/);
    expect(lines[heldOut + 1]).toMatch(/^testing\/quadratic \(split: task default\)/);
    expect(lines.some((l) => l.startsWith('overall, held-out tasks: testing/quadratic'))).toBe(true);
  });

  it('says whether the baselines were tuned, with the chosen learning rate', () => {
    expect(lines[0]).toMatch(/tuned baselines/);
    expect(text).toMatch(/adam\s+baseline\s+lr 3e-3 \(×3\)/);
    expect(renderTable(untuned).split('\n')[0]).toMatch(/untuned baselines/);
  });
});

describe('renderMarkdown', () => {
  const md = renderMarkdown(tuned, { svg: 'compare.svg' });

  it('escapes pipes in formulas so table rows keep their columns', () => {
    const row = md.split('\n').find((l) => l.startsWith(`| ${LONG_RUN_ID} | candidate`));
    expect(row).toContain('g/(\\|g\\|+ε)');
    const columns = (line: string) => line.split(/(?<!\\)\|/).length;
    const header = md.split('\n').find((l) => l.startsWith('| genome | role'));
    expect(columns(row as string)).toBe(columns(header as string));
  });

  it('reports the tuning: default and chosen lr per baseline, and the grid', () => {
    expect(md).toMatch(/\*\*Tuned baselines\.\*\*/);
    expect(md).toMatch(/\| adam \| 1e-3 \| \*\*3e-3\*\* \(×3\) \| 3e-4: 0\.5000, 1e-3: 0\.6000, 3e-3: 0\.7000 \|/);
    expect(renderMarkdown(untuned)).toMatch(/\*\*Untuned baselines\.\*\*/);
    expect(renderMarkdown(untuned)).not.toMatch(/## Baseline tuning/);
  });

  it('has the paper-style summary, overall sections per group, and a section per task with p-values', () => {
    expect(md).toMatch(
      /\| genome \| mnist-lite \| testing\/quadratic \(held out\) \| overall, search \| overall, held-out \| overall \|/,
    );
    for (const heading of [
      '### Overall, all tasks',
      '### Overall, search tasks',
      '### Overall, held-out tasks',
      '## Held-out tasks',
      '### mnist-lite',
      '### testing/quadratic',
    ])
      expect(md).toContain(heading);
    const p = tuned.results.find((r) => r.subject === 'rmsprop' && r.task === 'testing/quadratic')?.vsReference?.fitness
      .pValue as number;
    expect(md).toContain(p < 0.001 ? '<0.001' : p.toFixed(3));
    expect(md).toContain('![fitness per task with 95% intervals](compare.svg)');
    // Test accuracy has its own summary, over the tasks that report it (mnist-lite here).
    const accuracy = md.slice(md.indexOf('Test accuracy, mean'));
    expect(accuracy).toMatch(/\| genome \| mnist-lite \| overall, search \| overall, held-out \| overall \|/);
    expect(accuracy).toMatch(/\| adam \| 0\.8900 ± 0\.\d{4} \|/);
  });

  it('tells the reader when held-out status is unknown and when a task had no test split', () => {
    const plain = [subject('file', { kind: 'file' }), subject('adam')];
    const report = analyzeComparison(
      results(
        { subjects: plain, tasks: ['testing/quadratic'], seeds: 2, seed: 0 },
        { file: { 'testing/quadratic': [0.9, 0.8] }, adam: { 'testing/quadratic': [0.8, 0.7] } },
      ),
      { subjects: plain, splits: {}, tuning: null, evoptVersion: 'test' },
    );
    const text = renderMarkdown(report);
    expect(text).toMatch(/Held-out status unknown/);
    expect(text).toMatch(/## Tasks \(held-out status unknown/);
    expect(text).toMatch(/testing\/quadratic has no test split/);
  });
});

describe('renderChart', () => {
  it('draws fitness per task and overall for every genome, with the interval as error bars', () => {
    const svg = parse(renderChart(tuned));
    const bars = svg.querySelectorAll('rect.bar');
    expect(bars).toHaveLength(3 * 3);
    const mine = tuned.results.find((r) => r.subject === 'rmsprop' && r.task === 'mnist-lite');
    const bar = bars.find(
      (b) => b.getAttribute('data-series') === 'rmsprop' && b.getAttribute('data-category') === 'mnist-lite',
    );
    expect(Number(bar?.getAttribute('data-value'))).toBeCloseTo(mine?.fitness.mean as number, 10);
    expect(bars.map((b) => b.getAttribute('data-category'))).toContain('testing/quadratic (held out)');
    expect(bars.map((b) => b.getAttribute('data-category'))).toContain('overall');
    expect(svg.querySelector('title')?.text).toMatch(/tuned baselines/);
    const errorBars = svg.querySelectorAll('g.error-bar');
    expect(errorBars).toHaveLength(3 * 3);
    expect(
      errorBars.some(
        (g) =>
          Number(g.getAttribute('data-low')) === mine?.fitness.low &&
          Number(g.getAttribute('data-high')) === mine?.fitness.high,
      ),
    ).toBe(true);
  });
});
