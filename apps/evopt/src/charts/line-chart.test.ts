import { parse, type HTMLElement } from 'node-html-parser';
import { describe, expect, it } from 'vitest';
import { lineChart } from './line-chart.js';

const svgOf = (text: string): HTMLElement => {
  const svg = parse(text).querySelector('svg');
  if (!svg) throw new Error('no <svg> in the chart');
  return svg;
};
const numberAttr = (element: HTMLElement, name: string) => Number(element.getAttribute(name));

const generations = (values: readonly number[]) => values.map((y, x) => ({ x, y }));

describe('lineChart', () => {
  it('is a standalone SVG with a title, one marker per point and a legend entry per series', () => {
    const text = lineChart({
      title: 'Fitness per generation',
      series: [
        { label: 'best', points: generations([0.6, 0.8, 0.9, 0.95]) },
        { label: 'mean', points: generations([0.4, 0.5, 0.7, 0.75]), dashed: true },
      ],
      xLabel: 'generation',
      yLabel: 'fitness',
    });
    const svg = svgOf(text);
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(svg.getAttribute('viewBox')).toBe('0 0 640 320');
    expect(svg.querySelector('title')?.text).toBe('Fitness per generation');
    expect(svg.querySelectorAll('circle.point')).toHaveLength(8);
    expect(svg.querySelectorAll('.legend-item').map((item) => item.text)).toEqual(['best', 'mean']);
    const best = svg.querySelectorAll('circle.point[data-series="best"]').map((p) => numberAttr(p, 'data-value'));
    expect(best).toEqual([0.6, 0.8, 0.9, 0.95]);
    expect(svg.querySelectorAll('path.line')[1]?.getAttribute('stroke-dasharray')).toBeTruthy();
  });

  it('draws higher values higher and later x further right', () => {
    const svg = svgOf(lineChart({ title: 't', series: [{ label: 's', points: generations([0.1, 0.5, 0.3]) }] }));
    const points = svg.querySelectorAll('circle.point');
    const cy = points.map((p) => numberAttr(p, 'cy'));
    const cx = points.map((p) => numberAttr(p, 'cx'));
    expect(cy[1]).toBeLessThan(cy[2] as number);
    expect(cy[2]).toBeLessThan(cy[0] as number);
    expect(cx[0]).toBeLessThan(cx[1] as number);
    expect(cx[1]).toBeLessThan(cx[2] as number);
  });

  it('leaves a gap for NaN and ±Infinity without letting them reach the scale', () => {
    const svg = svgOf(
      lineChart({
        title: 't',
        series: [{ label: 'mean', points: generations([0.5, Number.NaN, 0.7, Number.POSITIVE_INFINITY, 0.6, -1]) }],
      }),
    );
    expect(svg.querySelectorAll('circle.point')).toHaveLength(4);
    expect(svg.querySelector('path.line')?.getAttribute('d')?.match(/M/g)).toHaveLength(3);
    const ticks = svg.querySelectorAll('.axis-y text.tick').map((t) => numberAttr(t, 'data-value'));
    expect(ticks.every(Number.isFinite)).toBe(true);
    expect(Math.min(...ticks)).toBeLessThanOrEqual(-1);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(0.7);
    expect(Math.max(...ticks)).toBeLessThan(2);
    const grid = svg.querySelectorAll('line.grid').map((l) => numberAttr(l, 'y1'));
    for (const point of svg.querySelectorAll('circle.point')) {
      const cy = numberAttr(point, 'cy');
      expect(cy).toBeGreaterThanOrEqual(Math.min(...grid));
      expect(cy).toBeLessThanOrEqual(Math.max(...grid));
    }
  });

  it("keeps x ticks on whole generations and within the data's range", () => {
    const svg = svgOf(lineChart({ title: 't', series: [{ label: 's', points: generations([1, 2, 3]) }] }));
    const ticks = svg.querySelectorAll('.axis-x text.tick').map((t) => numberAttr(t, 'data-value'));
    expect(ticks.every(Number.isInteger)).toBe(true);
    expect(ticks).toContain(0);
    expect(ticks).toContain(2);
  });

  it('draws reference lines inside the y axis, skipping non-finite ones', () => {
    const svg = svgOf(
      lineChart({
        title: 't',
        series: [{ label: 'best', points: generations([0.9, 0.95]) }],
        references: [
          { label: 'adam', y: 0.5 },
          { label: 'sgd', y: Number.NaN },
        ],
      }),
    );
    const references = svg.querySelectorAll('g.reference');
    expect(references.map((r) => r.getAttribute('data-label'))).toEqual(['adam']);
    const ticks = svg.querySelectorAll('.axis-y text.tick').map((t) => numberAttr(t, 'data-value'));
    expect(Math.min(...ticks)).toBeLessThanOrEqual(0.5);
  });

  it('escapes every piece of text', () => {
    const text = lineChart({
      title: 'a < b & "c"',
      series: [{ label: '0.73·g/(√v+ε) <script>alert(1)</script>', points: generations([1]) }],
      references: [{ label: "x's & y", y: 0.5 }],
      xLabel: '<x>',
      yLabel: '&y',
    });
    expect(text).not.toContain('<script>');
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    const svg = svgOf(text);
    // Parsed back, the text reads exactly as given.
    expect(svg.querySelector('title')?.text).toBe('a < b & "c"');
    expect(svg.querySelector('.legend-item')?.text).toBe('0.73·g/(√v+ε) <script>alert(1)</script>');
    expect(svg.querySelector('g.reference text')?.text).toBe("x's & y 0.5");
    expect(svg.querySelectorAll('script')).toHaveLength(0);
  });

  it('says so when there is nothing to draw', () => {
    const svg = svgOf(lineChart({ title: 't', series: [{ label: 's', points: [{ x: 0, y: Number.NaN }] }] }));
    expect(svg.querySelectorAll('circle.point')).toHaveLength(0);
    expect(svg.querySelector('.no-data')).not.toBeNull();
  });
});
