// Plain-text helpers for the TUI's panels. Widths are terminal columns (format/width.ts), so a
// formula with wide glyphs or emoji lines up like any other.
import { columns, fit } from '../format/width.js';

/**
 * Joins segments with `separator` into as few lines of at most `width` columns as it can, never
 * splitting a segment; a segment wider than a line is cut.
 */
export function pack(segments: readonly string[], width: number, separator = ' · '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const raw of segments) {
    const segment = fit(raw, width);
    if (line === '') line = segment;
    else if (columns(line) + columns(separator) + columns(segment) <= width) line += separator + segment;
    else {
      lines.push(line);
      line = segment;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A fitness or score as the plain printer shows it: four decimals. */
export function score(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

/** The first 8 characters of a genome hash: enough to tell genomes apart on screen. */
export function shortHash(hash: string): string {
  return hash.slice(0, 8);
}

/** A horizontal bar `width` columns wide, filled to `fraction` (clamped to 0..1). */
export function bar(fraction: number, width: number): string {
  if (width <= 0) return '';
  const filled = Math.round(Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

const SPARKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/**
 * One column per value, its height on the scale [min, max]; a value that is not finite (a
 * generation whose every genome diverged) is drawn as a space.
 */
export function sparkline(values: readonly number[], min: number, max: number): string {
  const span = max - min;
  return values
    .map((value) => {
      if (!Number.isFinite(value)) return ' ';
      const level = span > 0 ? Math.round(((value - min) / span) * (SPARKS.length - 1)) : SPARKS.length - 1;
      return SPARKS[Math.min(SPARKS.length - 1, Math.max(0, level))] as string;
    })
    .join('');
}
