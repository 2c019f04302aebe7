import { createRequire } from 'node:module';
import type { Tree } from '@nx/devkit';

/**
 * Tool versions a package generated outside the evopt repository pins; inside it, the root
 * package.json provides them. Kept equal to the root's devDependencies by a test.
 */
export const TOOL_VERSIONS = {
  '@types/node': '^20.19.43',
  typescript: '^5.9.3',
  vitest: '^4.1.12',
  zod: '^4.1.0',
} as const;

/**
 * The evopt release a generated package is written for (evopt's packages are released together).
 * Inside the evopt repository, the version of its packages/core; elsewhere, that of the
 * @evopt/core installed next to this generator.
 */
export function evoptVersion(tree: Tree, evoptRepo: boolean): string {
  if (evoptRepo) {
    const text = tree.read('packages/core/package.json', 'utf-8');
    const version = text === null ? undefined : (JSON.parse(text) as { version?: string }).version;
    if (version) return version;
  }
  return (createRequire(import.meta.url)('@evopt/core/package.json') as { version: string }).version;
}
