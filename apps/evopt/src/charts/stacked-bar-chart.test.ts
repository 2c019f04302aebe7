import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { stackedBarChart } from './stacked-bar-chart.js';

const svgOf = (text: string): HTMLElement => {
  const svg = parse(text).querySelector('svg');
  if (!svg) throw new Error('no <svg> in the chart');
  return svg;
};
const numberAttr = (element: HTMLElement, name: string) => Number(element.getAttribute(name));

describe('stackedBarChart', () => {
  const chart = () =>
    svgOf(
      stackedBarChart({
        title: 'Term mix',
        categories: ['0', '1', '2'],
        series: [
          { label: 'adam', values: [0.5, 0.25, 0.75] },
          { label: 'sign', values: [0.25, 0, Number.NaN] },
          { label: 'rms', values: [0.25, 0.5, null] },
        ],
        yLabel: 'share',
        yInclude: [0, 1],
      }),
    );

  it('draws one segment per positive value, in legend order from the bottom up', () => {
    const svg = chart();
    expect(svg.querySelectorAll('rect.segment')).toHaveLength(6);
    const first = svg.querySelectorAll('g.column')[0] as HTMLElement;
    const segments = first.querySelectorAll('rect.segment');
    expect(segments.map((s) => s.getAttribute('data-series'))).toEqual(['adam', 'sign', 'rms']);
    const tops = segments.map((s) => numberAttr(s, 'y'));
    expect(tops[0]).toBeGreaterThan(tops[1] as number);
    expect(tops[1]).toBeGreaterThan(tops[2] as number);
    // Each segment starts where the one below it ends.
    expect(numberAttr(segments[1] as HTMLElement, 'y') + numberAttr(segments[1] as HTMLElement, 'height')).toBeCloseTo(
      tops[0] as number,
      0,
    );
  });

  it('makes column heights proportional to their totals', () => {
    const svg = chart();
    const height = (column: HTMLElement) =>
      column.querySelectorAll('rect.segment').reduce((sum, s) => sum + numberAttr(s, 'height'), 0);
    const [g0, g1, g2] = svg.querySelectorAll('g.column') as [HTMLElement, HTMLElement, HTMLElement];
    expect(height(g1)).toBeCloseTo(height(g0) * 0.75, 0);
    expect(height(g2)).toBeCloseTo(height(g0) * 0.75, 0);
    expect(svg.querySelectorAll('g.column').map((c) => numberAttr(c, 'data-total'))).toEqual([1, 0.75, 0.75]);
  });

  it('has a legend entry per series and an axis from 0 that covers the tallest column', () => {
    const svg = chart();
    expect(svg.querySelectorAll('.legend-item').map((i) => i.text)).toEqual(['adam', 'sign', 'rms']);
    const ticks = svg.querySelectorAll('.axis-y text.tick').map((t) => numberAttr(t, 'data-value'));
    expect(Math.min(...ticks)).toBe(0);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(1);
  });
});
