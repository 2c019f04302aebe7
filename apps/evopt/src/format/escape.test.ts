import { describe, expect, it } from 'vitest';
import { escapeMarkdownCell, escapeXml } from './escape.js';

describe('escapeXml', () => {
  it('escapes the five special characters and keeps other Unicode as it is', () => {
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&#39;');
    expect(escapeXml('0.73·m/(√v+ε) & 梯度')).toBe('0.73·m/(√v+ε) &amp; 梯度');
  });

  it('drops control characters XML cannot hold, keeping tab, newline and return', () => {
    expect(escapeXml('a\u0001b\u001Fc\uFFFEd')).toBe('abcd');
    expect(escapeXml('a\tb\nc\rd')).toBe('a\tb\nc\rd');
  });
});

describe('escapeMarkdownCell', () => {
  it('escapes pipes and backslashes and folds newlines, so the row stays one row', () => {
    expect(escapeMarkdownCell('0.50·g/(|g|+ε)')).toBe('0.50·g/(\\|g\\|+ε)');
    expect(escapeMarkdownCell('dir\\')).toBe('dir\\\\');
    expect(escapeMarkdownCell('two\nlines\r\nhere')).toBe('two lines here');
  });
});
