import type { z } from 'zod';

/** Options are plain JSON-like objects, validated by the contribution's zod schema. */
export type Options = Record<string, unknown>;

/**
 * Metadata every contribution carries, checked when its plugin loads (not mid-run).
 * `options` is a zod object schema whose fields carry `.default(...)`, so `options.parse({})`
 * gives the defaults.
 */
export interface ContributionMeta<O extends Options = Options> {
  /** One line, shown by `evopt plugins` and in the TUI. */
  readonly summary: string;
  /** Longer help, Markdown. */
  readonly docs?: string;
  readonly options?: z.ZodType<O, Options>;
}

/** Contribution ids are `name` (reserved for evopt's own plugins) or `namespace/name`. */
export const CONTRIBUTION_ID = /^(?:[a-z][a-z0-9-]*\/)?[a-z][a-z0-9-]*$/;
