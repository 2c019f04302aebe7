import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { barChart } from './bar-chart.js';

const svgOf = (text: string): HTMLElement => {
  const svg = parse(text).querySelector('svg');
  if (!svg) throw new Error('no <svg> in the chart');
  return svg;
};
const numberAttr = (element: HTMLElement, name: string) => Number(element.getAttribute(name));

describe('barChart', () => {
  it('draws one bar per finite value, grouped by category, and a dash for each missing one', () => {
    const svg = svgOf(
      barChart({
        title: 'Per task',
        categories: ['mnist', 'fashion-mnist', 'cifar10'],
        series: [
          { label: 'best', values: [0.98, 0.9, 0.7] },
          { label: 'adam', values: [0.97, null, Number.NaN] },
        ],
        yLabel: 'score',
      }),
    );
    expect(svg.querySelectorAll('rect.bar')).toHaveLength(4);
    expect(svg.querySelectorAll('.missing')).toHaveLength(2);
    expect(svg.querySelectorAll('rect.bar[data-series="adam"]').map((b) => b.getAttribute('data-category'))).toEqual([
      'mnist',
    ]);
    expect(svg.querySelectorAll('.legend-item').map((item) => item.text)).toEqual(['best', 'adam']);
    const mnist = svg.querySelectorAll('rect.bar[data-category="mnist"]').map((b) => numberAttr(b, 'x'));
    const cifar = svg.querySelector('rect.bar[data-category="cifar10"]');
    expect(mnist[0]).toBeLessThan(mnist[1] as number);
    expect(numberAttr(cifar as HTMLElement, 'x')).toBeGreaterThan(mnist[1] as number);
  });

  it('grows bars from zero in proportion to their values, negative ones downwards', () => {
    const svg = svgOf(
      barChart({ title: 't', categories: ['a', 'b', 'c'], series: [{ label: 's', values: [1, 2, -1] }] }),
    );
    const [one, two, minus] = svg.querySelectorAll('rect.bar') as [HTMLElement, HTMLElement, HTMLElement];
    expect(numberAttr(two, 'height')).toBeCloseTo(2 * numberAttr(one, 'height'), 0);
    expect(numberAttr(minus, 'height')).toBeCloseTo(numberAttr(one, 'height'), 0);
    const zero = numberAttr(svg.querySelector('line.zero') as HTMLElement, 'y1');
    expect(numberAttr(one, 'y') + numberAttr(one, 'height')).toBeCloseTo(zero, 0);
    expect(numberAttr(minus, 'y')).toBeCloseTo(zero, 0);
  });

  it('draws error bars only where both ends are finite, and keeps them inside the axis', () => {
    const svg = svgOf(
      barChart({
        title: 't',
        categories: ['a', 'b', 'c'],
        series: [
          { label: 's', values: [0.5, 0.6, 0.7], low: [0.4, null, 0.65], high: [1.3, 0.7, Number.POSITIVE_INFINITY] },
        ],
      }),
    );
    const bars = svg.querySelectorAll('g.error-bar');
    expect(bars.map((b) => [numberAttr(b, 'data-low'), numberAttr(b, 'data-high')])).toEqual([[0.4, 1.3]]);
    const ticks = svg.querySelectorAll('.axis-y text.tick').map((t) => numberAttr(t, 'data-value'));
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(1.3);
    expect(Math.min(...ticks)).toBe(0);
  });

  it('cuts long category labels to their room but keeps the full name in a tooltip', () => {
    const long = 'my-plugin/a-very-long-task-name-that-cannot-fit';
    const svg = svgOf(
      barChart({
        title: 't',
        categories: Array.from({ length: 8 }, (_, i) => `${long}-${i}`),
        series: [{ label: 's', values: Array(8).fill(1) }],
      }),
    );
    const labels = svg.querySelectorAll('.axis-x text.tick');
    expect(labels).toHaveLength(8);
    for (const [i, label] of labels.entries()) {
      expect(label.querySelector('title')?.text).toBe(`${long}-${i}`);
      expect(label.lastChild?.text.endsWith('…')).toBe(true);
    }
  });

  it('wraps a category name with spaces onto two lines, and a long title too', () => {
    const title =
      'Fitness on the test split: mean and 95% interval over 5 seeds, with tuned baselines, per task and overall';
    const categories = ['mnist', 'fashion-mnist (held out)', 'cifar10 (held out)', 'overall'];
    const svg = svgOf(
      barChart({
        title,
        categories,
        series: ['a', 'b', 'c', 'd', 'e'].map((label) => ({ label, values: [1, 1, 1, 1] })),
      }),
    );
    const heldOut = svg.querySelectorAll('.axis-x text.tick')[1] as HTMLElement;
    const lines = heldOut.querySelectorAll('tspan').map((t) => t.text);
    expect(lines).toHaveLength(2);
    expect(lines.join(' ')).toBe('fashion-mnist (held out)');
    const shown = svg.querySelectorAll('text.chart-title tspan').map((t) => t.text);
    expect(shown).toHaveLength(2);
    expect(shown.join(' ').replace(/…$/, '')).toBe(title.slice(0, shown.join(' ').replace(/…$/, '').length));
    expect(svg.querySelector('title')?.text).toBe(title);
    // The plot makes room for the second line of labels: the bars end above both of them.
    const zero = Number(svg.querySelector('line.zero')?.getAttribute('y1'));
    expect(zero + 15 + 13).toBeLessThan(Number(svg.querySelector('.legend-item text')?.getAttribute('y')) - 8);
  });

  it('thins out short labels when there are many categories', () => {
    const categories = Array.from({ length: 60 }, (_, i) => String(i));
    const svg = svgOf(barChart({ title: 't', categories, series: [{ label: 's', values: categories.map(Number) }] }));
    expect(svg.querySelectorAll('rect.bar')).toHaveLength(60);
    const shown = svg.querySelectorAll('.axis-x text.tick').map((t) => t.text);
    expect(shown.length).toBeLessThan(60);
    expect(shown[0]).toBe('0');
  });

  it('escapes category and series names', () => {
    const text = barChart({ title: 't', categories: ['a<b'], series: [{ label: 'x&y', values: [1] }] });
    expect(text).not.toContain('a<b');
    const svg = svgOf(text);
    expect(svg.querySelector('rect.bar')?.getAttribute('data-category')).toBe('a<b');
    expect(svg.querySelector('.legend-item')?.text).toBe('x&y');
  });
});
