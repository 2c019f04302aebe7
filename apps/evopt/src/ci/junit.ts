import { escapeXml } from '../format/escape.js';
import { CHECK_KINDS, checkTitle, type CiCheck, type CiGenomeResult, type CiReport } from './report.js';

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
    .join('');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** The numbers behind a check, for the body of a <failure> or <skipped>. */
function details(check: CiCheck, genome: CiGenomeResult | undefined, baseline: CiGenomeResult): string {
  const lines = [check.message];
  if (genome) {
    for (const [task, scores] of Object.entries(genome.scores)) {
      lines.push(
        `${task}: ${genome.label} ${(genome.perTask[task] ?? Number.NaN).toFixed(4)} [${scores.map((s) => s.toFixed(4)).join(', ')}]`,
      );
      if (check.kind === 'baseline') {
        const base = baseline.scores[task] ?? [];
        lines.push(
          `${task}: ${baseline.label} ${(baseline.perTask[task] ?? Number.NaN).toFixed(4)} [${base.map((s) => s.toFixed(4)).join(', ')}]`,
        );
      }
    }
  }
  return lines.join('\n');
}

function testcase(check: CiCheck, report: CiReport): string {
  const genome = report.genomes.find((g) => g.label === check.genome);
  // A genome's training time is counted once, on its baseline check.
  const time = check.kind === 'baseline' && genome ? seconds(genome.durationMs) : '0.000';
  const open = `    <testcase${attributes({ name: check.genome, classname: `evopt.ci.${check.kind}`, time })}`;
  if (check.status === 'pass') return `${open}/>`;
  const body = escapeXml(details(check, genome, report.baseline));
  const inner =
    check.status === 'regression'
      ? `      <failure${attributes({ message: check.message, type: 'regression' })}>${body}</failure>`
      : `      <skipped${attributes({ message: `${check.message} Run evopt ci --update-baseline to record it.` })}/>`;
  return `${open}>\n${inner}\n    </testcase>`;
}

/**
 * The report as JUnit XML, for CI test reporters: one testsuite per kind of check ("not worse
 * than adam", "fitness matches the record"), one testcase per guarded genome in each. A regression
 * is a <failure> whose message and body carry the numbers; an unrecorded genome is <skipped>.
 */
export function renderJunit(report: CiReport): string {
  const totalMs = report.baseline.durationMs + report.genomes.reduce((sum, g) => sum + g.durationMs, 0);
  const properties = [
    ['baseline', report.settings.baseline],
    ['tasks', report.settings.tasks.join(', ')],
    ['steps', String(report.settings.steps)],
    ['seeds', String(report.settings.seeds)],
    ['tolerance', String(report.settings.tolerance)],
    ['alpha', String(report.settings.alpha)],
  ]
    .map(([name, value]) => `      <property${attributes({ name: name as string, value: value as string })}/>`)
    .join('\n');
  const suites = CHECK_KINDS.map((kind) => {
    const checks = report.checks.filter((c) => c.kind === kind);
    const head = attributes({
      name: checkTitle(kind, report.settings.baseline),
      tests: checks.length,
      failures: checks.filter((c) => c.status === 'regression').length,
      errors: 0,
      skipped: checks.filter((c) => c.status === 'unrecorded').length,
      time: kind === 'baseline' ? seconds(totalMs) : '0.000',
    });
    return [
      `  <testsuite${head}>`,
      `    <properties>\n${properties}\n    </properties>`,
      ...checks.map((c) => testcase(c, report)),
      '  </testsuite>',
    ].join('\n');
  });
  const root = attributes({
    name: 'evopt ci',
    tests: report.counts.checks,
    failures: report.counts.regressions,
    errors: 0,
    skipped: report.counts.unrecorded,
    time: seconds(totalMs),
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites${root}>`, ...suites, '</testsuites>', ''].join('\n');
}
