// Characters XML 1.0 cannot hold at all, not even escaped (control characters other than tab,
// newline and return, and the two non-characters U+FFFE, U+FFFF).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

// &#39; rather than &apos;: the same text goes into HTML (the report) and XML (SVG, JUnit), and
// the numeric reference means the quote in both.
const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for XML and HTML, in content and in quoted attributes alike: the five special characters
 * escaped, characters XML cannot hold dropped. Formulas contain `<`, `&` and `√`; the documents
 * are UTF-8, so `√` stays as it is.
 */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '').replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * Text for one cell of a Markdown table: a pipe (|g| in a formula) would end the cell and a
 * newline the row. Backslashes are escaped first, so a label ending in `\` cannot escape the
 * cell's closing pipe.
 */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
