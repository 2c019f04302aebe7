/**
 * Text measured in terminal columns, for the TUI and the `compare` and `ci` tables. A plugin's
 * formula may hold wide glyphs (CJK takes two columns) and emoji (two columns, several code
 * points): string-width knows the terminal's rules, so columns line up whatever the formula says.
 */
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/** The number of terminal columns `text` takes. */
export function columns(text: string): number {
  return stringWidth(text);
}

/** `text` cut to at most `width` columns, ending in '…' when something was cut. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (columns(text) <= width) return text;
  // cli-truncate keeps a wide glyph that straddles the cut, one column too many: then cut shorter.
  for (let room = width; room > 0; room--) {
    const cut = cliTruncate(text, room, { position: 'end' });
    if (columns(cut) <= width) return cut;
  }
  return '';
}

/** `text` fitted to `width` columns, then padded on the right to exactly `width`. */
export function padEnd(text: string, width: number): string {
  const cut = fit(text, width);
  return cut + ' '.repeat(Math.max(0, width - columns(cut)));
}

/** `text` fitted to `width` columns, then padded on the left to exactly `width`. */
export function padStart(text: string, width: number): string {
  const cut = fit(text, width);
  return ' '.repeat(Math.max(0, width - columns(cut))) + cut;
}

/** `text` word-wrapped to lines of at most `width` columns; a word longer than a line is broken. */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return [];
  return wrapAnsi(text, width, { hard: true, trim: true }).split('\n');
}
