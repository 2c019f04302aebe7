import { readFileSync } from 'node:fs';

/** evopt's version, from this package's package.json. */
export const EVOPT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
