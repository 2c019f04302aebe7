import { escapeXml } from '../format/escape.js';

/** Markup that is already safe; any plain string given where markup goes is escaped. */
export interface Html {
  readonly html: string;
  /** Right-align it, as a number. */
  readonly numeric?: boolean;
}

export type Cell = string | number | null | Html;

export const esc = escapeXml;

export const raw = (html: string): Html => ({ html });

/** A score with 4 decimals; a missing one (NaN, null) as a dash. */
export function num(value: number | null | undefined, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—';
}

function cell(value: Cell, tag: 'td' | 'th'): string {
  if (typeof value === 'number') return `<${tag} class="num">${num(value)}</${tag}>`;
  if (value === null) return `<${tag} class="num">—</${tag}>`;
  if (typeof value === 'string') return `<${tag}>${esc(value)}</${tag}>`;
  return `<${tag}${value.numeric ? ' class="num"' : ''}>${value.html}</${tag}>`;
}

/** A table; numbers are right-aligned with 4 decimals (pass a string for counts). */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], className = ''): string {
  const head = `<thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${rows.map((row) => `<tr>${row.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>`;
  return `<table${className ? ` class="${esc(className)}"` : ''}>${head}${body}</table>`;
}

/** A count or other number in its own format, right-aligned. */
export const count = (n: number | string): Html => ({ html: esc(String(n)), numeric: true });

/** A definition list of label → value (values escaped unless given as markup). */
export function facts(entries: readonly (readonly [string, Cell])[]): string {
  return `<dl class="facts">${entries.map(([label, value]) => `<dt>${esc(label)}</dt><dd>${typeof value === 'number' ? esc(String(value)) : value === null ? '—' : typeof value === 'string' ? esc(value) : value.html}</dd>`).join('')}</dl>`;
}

export function section(id: string, title: string, ...parts: readonly string[]): string {
  return `<section id="${esc(id)}"><h2>${esc(title)}</h2>\n${parts.filter((p) => p !== '').join('\n')}\n</section>`;
}

export function figure(svg: string, caption: string): string {
  return `<figure>${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}
