import { CONTRIBUTION_ID, EvoptError } from '@evopt/core';

/** One broken conformance rule: which one, what was observed, and how to fix it. */
export interface Violation {
  /** The rule's stable id, e.g. "finite-nonnegative". */
  readonly rule: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * Registers one test case. vitest's `it`/`test` and node:test's `test` both fit, so a plugin
 * author can run the suites under either runner.
 */
export type TestFn = (name: string, fn: () => void | Promise<void>) => unknown;

/** A conformance rule in the style of an ESLint rule: an id, what it demands, and a check. */
export interface ConformanceRule<S> {
  readonly id: string;
  /** What the rule demands, one line; it is part of the registered test's name. */
  readonly description: string;
  /** What to do when the check finds a problem or the contribution throws during it. */
  readonly fix: string;
  check(subject: S): readonly Violation[];
}

/**
 * A rule whose check is asynchronous, for contributions that do asynchronous work (tasks train,
 * tensor backends start). The same id, description and fix as a {@link ConformanceRule}.
 */
export interface AsyncConformanceRule<S> {
  readonly id: string;
  readonly description: string;
  readonly fix: string;
  check(subject: S): Promise<readonly Violation[]> | readonly Violation[];
}

/** What every rule of a suite sees: the contribution's label for messages, and the subject. */
export interface Labelled {
  /** e.g. `schedule "warmup"`, used at the start of every message. */
  readonly label: string;
}

function describeThrown(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs `rules` over `subject`; a rule whose check throws becomes a violation of that rule. */
export function runRules<S extends Labelled>(rules: readonly ConformanceRule<S>[], subject: S): Violation[] {
  const violations: Violation[] = [];
  for (const rule of rules) {
    try {
      violations.push(...rule.check(subject));
    } catch (error) {
      violations.push({
        rule: rule.id,
        message: `${subject.label} threw while checked: ${describeThrown(error)}`,
        fix: rule.fix,
      });
    }
  }
  return violations;
}

/** Runs `rules` over `subject` one after another; a rule whose check throws or rejects becomes a violation of that rule. */
export async function runRulesAsync<S extends Labelled>(
  rules: readonly AsyncConformanceRule<S>[],
  subject: S,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const rule of rules) {
    try {
      violations.push(...(await rule.check(subject)));
    } catch (error) {
      violations.push({
        rule: rule.id,
        message: `${subject.label} threw while checked: ${describeThrown(error)}`,
        fix: rule.fix,
      });
    }
  }
  return violations;
}

/** The error a registered test throws: it names the contribution, each broken rule, and the fix. */
export function conformanceError(label: string, violations: readonly Violation[]): EvoptError {
  const rules = [...new Set(violations.map((v) => v.rule))];
  const lines = violations.map((v) => `  [${v.rule}] ${v.message}`);
  const fixes = [...new Set(violations.map((v) => v.fix))];
  return new EvoptError(
    'PLUGIN_INVALID',
    `${label} breaks the conformance rule${rules.length > 1 ? 's' : ''} ${rules.map((r) => `"${r}"`).join(', ')}:\n${lines.join('\n')}`,
    {
      fix: fixes.join(' '),
      details: { label, violations },
    },
  );
}

function requireTestFn(test: TestFn, label: string): void {
  if (typeof test !== 'function') {
    throw new EvoptError(
      'INTERNAL',
      `The conformance suite for ${label} needs a test function to register its tests with.`,
      {
        fix: "Pass your runner's test function, e.g. testSchedule(def, { test: it }) with vitest or { test } from node:test.",
      },
    );
  }
}

/** Registers one test per rule, named after the contribution and the rule. */
export function registerRules<S extends Labelled>(
  test: TestFn,
  rules: readonly ConformanceRule<S>[],
  subject: () => S,
  label: string,
): void {
  requireTestFn(test, label);
  for (const rule of rules) {
    test(`${label} › ${rule.id}: ${rule.description}`, () => {
      const violations = runRules([rule], subject());
      if (violations.length > 0) throw conformanceError(label, violations);
    });
  }
}

/** Registers one asynchronous test per rule, named after the contribution and the rule. */
export function registerAsyncRules<S extends Labelled>(
  test: TestFn,
  rules: readonly AsyncConformanceRule<S>[],
  subject: () => S,
  label: string,
): void {
  requireTestFn(test, label);
  for (const rule of rules) {
    test(`${label} › ${rule.id}: ${rule.description}`, async () => {
      const violations = await runRulesAsync([rule], subject());
      if (violations.length > 0) throw conformanceError(label, violations);
    });
  }
}

/** A violation of `rule` with its fix; the message is prefixed with the contribution's label. */
export function violation(
  rule: Pick<ConformanceRule<never>, 'id' | 'fix'>,
  subject: Labelled,
  message: string,
): Violation {
  return { rule: rule.id, message: `${subject.label} ${message}`, fix: rule.fix };
}

/** Shared rule: the id is lowercase, optionally namespaced. */
export function validIdRule<S extends Labelled & { readonly id: unknown }>(): ConformanceRule<S> {
  const rule: ConformanceRule<S> = {
    id: 'valid-id',
    description: 'the id is lowercase, like "lion", or namespaced, like "my-terms/lion"',
    fix: 'Rename the contribution: lowercase letters, digits and dashes, with a "namespace/" prefix outside evopt\'s own plugins.',
    check: (s) =>
      typeof s.id === 'string' && CONTRIBUTION_ID.test(s.id)
        ? []
        : [violation(rule, s, `has the id ${JSON.stringify(s.id)}.`)],
  };
  return rule;
}

/** Shared rule: `meta.summary` is a non-empty line. */
export function metaSummaryRule<
  S extends Labelled & { readonly meta: { readonly summary?: unknown } | undefined },
>(): ConformanceRule<S> {
  const rule: ConformanceRule<S> = {
    id: 'meta-summary',
    description: 'meta.summary is a non-empty line',
    fix: 'Give the contribution meta: { summary: "one line saying what it does" }.',
    check: (s) => {
      const summary = s.meta?.summary;
      return typeof summary === 'string' && summary.trim() !== ''
        ? []
        : [violation(rule, s, `has meta.summary ${JSON.stringify(summary)}.`)];
    },
  };
  return rule;
}
