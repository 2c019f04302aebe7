// Plain-text helpers for the TUI. Every glyph used here is one terminal column wide, so a string's
// width is its number of code points.

/** The number of terminal columns `text` takes. */
export function columns(text: string): number {
  return [...text].length;
}

/** `text` cut to `width` columns, ending in '…' when something was cut. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length <= width) return text;
  return `${chars.slice(0, width - 1).join('')}…`;
}

export function padEnd(text: string, width: number): string {
  const cut = fit(text, width);
  return cut + ' '.repeat(width - columns(cut));
}

export function padStart(text: string, width: number): string {
  const cut = fit(text, width);
  return ' '.repeat(width - columns(cut)) + cut;
}

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

/** 75 s → "1m15s", 3725 s → "1h02m". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
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

/** The relative change of `value` against `reference` in percent, e.g. "+3.1%", or null if undefined. */
export function percentVs(value: number, reference: number | null): string | null {
  if (reference === null || !Number.isFinite(reference) || reference <= 0 || !Number.isFinite(value)) return null;
  const change = ((value - reference) / reference) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
}
