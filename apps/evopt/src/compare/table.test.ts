import { describe, expect, it } from 'vitest';
import { columns } from '../format/width.js';
import { analyzeComparison, type ComparedSubject } from './analysis.js';
import { renderTable, TABLE_WIDTH } from './table.js';
import { results, subject } from './__fixtures__/synthetic.js';

// Labels and formulas in other scripts: CJK glyphs and emoji take two terminal columns each.
const subjects: ComparedSubject[] = [
  { ...subject('梯度-candidate', { kind: 'file' }), formula: '0.50·梯度(g) + 1.00·m/(√v+ε)' },
  { ...subject('rocket🚀', { kind: 'file' }), formula: '1.20·🚀(g)' },
  subject('adam'),
];
const trial = results(
  { subjects, tasks: ['testing/quadratic'], seeds: 2, seed: 0 },
  {
    '梯度-candidate': { 'testing/quadratic': [0.9, 0.91] },
    'rocket🚀': { 'testing/quadratic': [0.8, 0.82] },
    adam: { 'testing/quadratic': [0.7, 0.72] },
  },
);
const report = analyzeComparison(trial, {
  subjects,
  splits: { 'testing/quadratic': 'test' },
  tuning: null,
  evoptVersion: 'test',
});
const lines = renderTable(report).split('\n');

describe('renderTable with wide glyphs', () => {
  it('aligns the genome columns by display width: every formula starts at column 38', () => {
    const genomeRows = lines.slice(lines.indexOf('genomes') + 1, lines.indexOf('genomes') + 4);
    expect(genomeRows).toHaveLength(3);
    // Indent 2, label 14 ("梯度-candidate"), role 9 ("candidate"), "lr 1e-3" 7, each followed by 2 spaces.
    for (const [row, formula] of genomeRows.map((r, i) => [r, subjects[i]?.formula ?? ''] as const)) {
      expect(row.endsWith(formula)).toBe(true);
      expect(columns(row.slice(0, row.length - formula.length))).toBe(38);
    }
  });

  it('lines up the numbers after a wide label, and keeps every line within the width', () => {
    const header = lines.find((l) => l.trimStart().startsWith('subject')) as string;
    const fitnessEnd = columns(header.slice(0, header.indexOf('fitness') + 'fitness'.length));
    const rows = lines.filter((l) => /^ {2}(梯度-candidate|rocket🚀|adam) +\d\.\d{4}/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) expect(columns(row.slice(0, row.search(/\d\.\d{4}/) + 6))).toBe(fitnessEnd);
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(TABLE_WIDTH);
  });
});
