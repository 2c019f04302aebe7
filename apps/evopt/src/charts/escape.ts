const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for XML and HTML, in content and in quoted attributes alike. Formulas contain `<`,
 * `&` and `√`; only the first two need it, and the document is UTF-8, so `√` stays as it is.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}
