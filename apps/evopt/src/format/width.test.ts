import { describe, expect, it } from 'vitest';
import { columns, fit, padEnd, padStart, wrap } from './width.js';

describe('terminal widths', () => {
  it('counts columns as a terminal draws them: CJK and emoji take two, √ ε · one', () => {
    expect(columns('梯度')).toBe(4);
    expect(columns('🚀')).toBe(2);
    expect(columns('👍🏽')).toBe(2);
    expect(columns('√v+ε·')).toBe(5);
    expect(columns('\u001B[31mred\u001B[39m')).toBe(3);
  });

  it('fit cuts to the width with …, never past it, even where a wide glyph straddles the cut', () => {
    expect(fit('0.73·sign(g) + 3.64·m/(√v+ε)', 12)).toBe('0.73·sign(g…');
    expect(fit('ab梯度', 4)).toBe('ab…');
    expect(fit('梯度下降', 5)).toBe('梯度…');
    expect(fit('short', 12)).toBe('short');
    expect(fit('anything', 0)).toBe('');
  });

  it('padEnd and padStart fill to exactly the width in columns', () => {
    expect(padEnd('梯度', 6)).toBe('梯度  ');
    expect(padStart('🚀', 4)).toBe('  🚀');
    expect(columns(padEnd('0.5·梯度(g) + 1.0·🚀', 10))).toBe(10);
  });

  it('wrap breaks at spaces to lines of at most the width', () => {
    expect(wrap('a 梯度 long words here', 10)).toEqual(['a 梯度', 'long words', 'here']);
    expect(wrap('梯度梯度梯度', 4)).toEqual(['梯度', '梯度', '梯度']);
  });
});
