import type { ContributionMeta, Options } from '@evopt/core';
import { violation, type ConformanceRule, type Labelled } from './rule.js';

interface WithOptions extends Labelled {
  readonly meta: Pick<ContributionMeta, 'options'> | undefined;
  /** The options the suite was asked to create the contribution with, if any. */
  readonly options: Options | undefined;
}

/** The options a contribution is created with: the given ones through its schema, defaults filled in. */
export function parseOptions(
  meta: Pick<ContributionMeta, 'options'> | undefined,
  options: Options | undefined,
): Options {
  return meta?.options ? meta.options.parse(options ?? {}) : (options ?? {});
}

function issues(error: {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Shared rule: an options schema parses `{}` to its defaults, and parses the options under test. */
export function optionsDefaultsRule<S extends WithOptions>(): ConformanceRule<S> {
  const rule: ConformanceRule<S> = {
    id: 'options-defaults',
    description: 'meta.options, when given, parses {} (every option has a default) and the options under test',
    fix: 'Make meta.options a zod object whose every field has .default(...), e.g. z.strictObject({ k: z.number().int().min(2).default(4) }).',
    check: (s) => {
      const schema = s.meta?.options;
      if (schema === undefined) return [];
      if (typeof schema?.safeParse !== 'function')
        return [violation(rule, s, 'has meta.options that is not a zod schema.')];
      const empty = schema.safeParse({});
      if (!empty.success)
        return [violation(rule, s, `has options without defaults: parsing {} failed (${issues(empty.error)}).`)];
      if (s.options === undefined) return [];
      const given = schema.safeParse(s.options);
      return given.success
        ? []
        : [
            violation(
              rule,
              s,
              `rejected the options under test ${JSON.stringify(s.options)} (${issues(given.error)}).`,
            ),
          ];
    },
  };
  return rule;
}
