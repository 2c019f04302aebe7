import { describe, expect, it } from 'vitest';
import { evaluateChecks } from './checks.js';
import { renderJson } from './json.js';
import { escapeXml } from '../format/escape.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderTable } from './table.js';
import { findAll, parseXml } from './__fixtures__/parse-xml.js';
import { ADAM, plan, record, shifted, source, subject } from './__fixtures__/synthetic.js';

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Three guarded genomes: "good" passes both checks, "slow" is far behind adam (and recorded),
 * and a genome whose file name needs escaping everywhere is unrecorded.
 */
function mixedReport() {
  const odd = subject('a<b>&"c" | d');
  const scores = {
    'adam-hash': { 'testing/quadratic': ADAM },
    'good-hash': { 'testing/quadratic': shifted(0.01) },
    'slow-hash': { 'testing/quadratic': shifted(-0.2) },
    [odd.hash]: { 'testing/quadratic': shifted(0) },
  };
  const rec = record({
    good: { hash: 'good-hash', fitness: mean(shifted(0.01)), perTask: {} },
    slow: { hash: 'slow-hash', fitness: mean(shifted(-0.2)), perTask: {} },
  });
  return evaluateChecks(source(scores, 400), plan([subject('good'), subject('slow'), odd]), rec);
}

describe('the JUnit report', () => {
  it('is well-formed XML with one testsuite per check kind and one testcase per genome and check', () => {
    const report = mixedReport();
    const root = parseXml(renderJunit(report));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toMatchObject({ tests: '6', failures: '1', errors: '0', skipped: '1' });
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attributes['name'])).toEqual(['not worse than adam', 'fitness matches the record']);
    expect(suites.map((s) => [s.attributes['tests'], s.attributes['failures'], s.attributes['skipped']])).toEqual([
      ['3', '1', '0'],
      ['3', '0', '1'],
    ]);
    const cases = findAll(root, 'testcase');
    expect(cases).toHaveLength(6);
    expect(cases.map((c) => `${c.attributes['classname']}:${c.attributes['name']}`)).toEqual([
      'evopt.ci.baseline:good',
      'evopt.ci.baseline:slow',
      'evopt.ci.baseline:a<b>&"c" | d',
      'evopt.ci.record:good',
      'evopt.ci.record:slow',
      'evopt.ci.record:a<b>&"c" | d',
    ]);
    // Counted attributes agree with the elements.
    expect(findAll(root, 'failure')).toHaveLength(Number(root.attributes['failures']));
    expect(findAll(root, 'skipped')).toHaveLength(Number(root.attributes['skipped']));
  });

  it('puts the numbers of a regression into its <failure>', () => {
    const root = parseXml(renderJunit(mixedReport()));
    const [failure] = findAll(root, 'failure');
    expect(failure?.attributes['type']).toBe('regression');
    expect(failure?.attributes['message']).toMatch(
      /^slow is worse than adam by more than the tolerance 0\.02: fitness 0\.70\d\d vs 0\.9000/,
    );
    expect(failure?.text).toContain('testing/quadratic: slow 0.70');
    expect(failure?.text).toContain(`testing/quadratic: adam 0.9000 [${ADAM.map((s) => s.toFixed(4)).join(', ')}]`);
    const [skipped] = findAll(root, 'skipped');
    expect(skipped?.attributes['message']).toMatch(/is unrecorded: .*--update-baseline/);
  });

  it('gives each genome its training time once, in seconds', () => {
    const root = parseXml(renderJunit(mixedReport()));
    const [good] = findAll(root, 'testcase');
    expect(good?.attributes['time']).toBe('2.000'); // 5 seeds × 400 ms
    expect(root.attributes['time']).toBe('8.000'); // adam and three genomes
  });

  it('escapes what XML cannot hold raw and drops what it cannot hold at all', () => {
    expect(escapeXml(`<&>"'\u0001ok`)).toBe('&lt;&amp;&gt;&quot;&#39;ok');
    expect(() => parseXml('<a><b></a>')).toThrow(/closes/); // the parser in these tests is strict
    expect(() => parseXml('<a x=1/>')).toThrow(/quoted/);
  });
});

describe('the Markdown summary', () => {
  it('has a verdict, a header, and one row per genome plus the baseline, with pipes escaped', () => {
    const md = renderMarkdown(mixedReport());
    expect(md.split('\n')[0]).toBe('## evopt ci: ❌ regression');
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(2 + 4);
    const cells = (row: string) =>
      row
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((c) => c.trim());
    expect(rows.map((r) => cells(r).length)).toEqual(Array(6).fill(8));
    expect(cells(rows[2] as string)[0]).toBe('adam (baseline)');
    expect(cells(rows[4] as string)).toContain('**REGRESSION**');
    expect(cells(rows[5] as string)[0]).toBe('a<b>&"c" \\| d');
    expect(md).toContain('### Regressions');
    expect(md).toContain('**6 checks: 4 passed, 1 regression, 1 unrecorded.**');
  });

  it('says pass when nothing regressed', () => {
    const report = evaluateChecks(
      source({ 'adam-hash': { 'testing/quadratic': ADAM }, 'good-hash': { 'testing/quadratic': shifted(0.01) } }),
      plan([subject('good')]),
      null,
    );
    const md = renderMarkdown(report);
    expect(md.split('\n')[0]).toBe('## evopt ci: ✅ pass');
    expect(md).not.toContain('### Regressions');
  });
});

describe('the JSON report', () => {
  it('round-trips the report, writing numbers JSON cannot hold as null', () => {
    // Identical to the baseline: differences without spread give an infinite t statistic.
    const report = evaluateChecks(
      source({ 'adam-hash': { 'testing/quadratic': ADAM } }),
      plan([subject('adam')]),
      null,
    );
    const parsed = JSON.parse(renderJson(report)) as {
      schema: string;
      status: string;
      checks: { statistic?: number | null }[];
    };
    expect(parsed.schema).toBe('evopt.ci-report/1');
    expect(parsed.status).toBe('pass');
    expect(parsed.checks[0]?.statistic).toBeNull();
    const mixed = mixedReport();
    expect(JSON.parse(renderJson(mixed))).toEqual(JSON.parse(JSON.stringify(mixed)));
  });
});

describe('the table', () => {
  it('lines up a row per genome and ends with the verdict and what to do', () => {
    const text = renderTable(mixedReport());
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^evopt ci: 3 guarded genomes vs adam on testing\/quadratic, 100 steps × 5 seeds/);
    const header = lines[2] as string;
    expect(header).toMatch(/^genome\s+fitness\s+Δ vs adam\s+p \(worse\)\s+vs adam\s+recorded\s+drift\s+record$/);
    const slow = lines.find((l) => l.startsWith('slow ')) as string;
    expect(slow).toMatch(/REGRESSION/);
    // Right-aligned numbers: the fitness column ends at the same place on every row.
    const fitnessEnd = header.indexOf('fitness') + 'fitness'.length;
    for (const row of lines.slice(3, 7)) expect(row.slice(0, fitnessEnd)).toMatch(/\d\.\d{4}$/);
    expect(text).toMatch(/✗ slow is worse than adam/);
    expect(text).toMatch(/hint: 1 genome is unrecorded/);
    expect(lines.at(-1)).toBe('FAIL: 6 checks: 4 passed, 1 regression, 1 unrecorded');
  });
});
