import { stripVTControlCharacters } from 'node:util';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { baselineGenome } from '@evopt/core';
import { columns } from '../../format/width.js';
import type { RankedGenome } from '../state.js';
import { TopGenomes } from './TopGenomes.js';

// A plugin may write its formula in any script: CJK glyphs and emoji take two terminal columns.
const FORMULAS = ['0.50·梯度(g) + 1.00·m/(√v+ε)', '1.20·🚀(g)', '0.73·sign(g)'];
const TASKS = ['quadratic', 'rosenbrock'];
const rows: RankedGenome[] = FORMULAS.map((formula, i) => ({
  rank: i + 1,
  hash: `${String(i).repeat(8)}ffffffff`,
  genome: baselineGenome('adam'),
  fitness: 0.9 - i / 10,
  perTask: { quadratic: 0.9, rosenbrock: 0.8 },
  formula,
}));

describe('TopGenomes with wide glyphs in formulas', () => {
  it('lines up the hash column by display width: every row is 80 columns, the hash at column 72', () => {
    const instance = render(<TopGenomes rows={rows} tasks={TASKS} selected={null} width={80} limit={10} />);
    const lines = stripVTControlCharacters(instance.lastFrame() ?? '').split('\n');
    instance.unmount();
    // At 80 columns: marker 2 + rank 4 + fitness 8 + two tasks of 10 + 1 = 36, formula 35, space, hash 8.
    expect(lines[0]).toMatch(/ hash$/);
    expect(columns(lines[0] as string)).toBe(76);
    for (const [i, line] of lines.slice(1).entries()) {
      expect(columns(line)).toBe(80);
      const hash = line.slice(-8);
      expect(hash).toBe(String(i).repeat(8));
      expect(columns(line.slice(0, -8))).toBe(72);
    }
    expect(lines[1]).toContain('0.50·梯度(g) + 1.00·m/(√v+ε)');
    expect(lines[2]).toContain('1.20·🚀(g)');
  });
});
