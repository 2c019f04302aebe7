import { offsetFromRoot } from '@nx/devkit';
import type { NormalizedOptions } from './options.js';
import { TOOL_VERSIONS } from './versions.js';

type Json = Record<string, unknown>;

/**
 * The compiler options evopt is written with (the repository's tsconfig.base.json): strict ESM
 * for Node. A package generated outside the repository gets them in its own tsconfig.base.json,
 * so its code compiles the same way whatever the host workspace's settings are.
 */
export const EVOPT_COMPILER_OPTIONS: Json = {
  target: 'ES2023',
  lib: ['ES2023'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  noUncheckedIndexedAccess: true,
  noImplicitOverride: true,
  exactOptionalPropertyTypes: false,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  esModuleInterop: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
  declaration: true,
  declarationMap: true,
  sourceMap: true,
  resolveJsonModule: true,
  types: ['node'],
};

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/** package.json: ESM, dist only, @evopt/core as a peer so the plugin shares the host's core. */
export function packageJson(o: NormalizedOptions, evoptVersion: string): Json {
  // Inside the repository the workspace links satisfy exact versions, as for evopt's own plugins.
  const evopt = o.evoptRepo ? evoptVersion : `^${evoptVersion}`;
  const evoptPackages = Object.fromEntries(
    ['@evopt/core', '@evopt/testing', ...o.kind.testPackages].map((name) => [name, evopt]),
  );
  const tools: Record<string, string> = o.evoptRepo
    ? {}
    : {
        '@types/node': TOOL_VERSIONS['@types/node'],
        typescript: TOOL_VERSIONS.typescript,
        vitest: TOOL_VERSIONS.vitest,
      };
  return {
    name: o.packageName,
    version: '0.1.0',
    description: `${o.kind.describes}: ${o.contribution.id}`,
    type: 'module',
    license: 'MIT',
    keywords: ['evopt', 'evopt-plugin', o.kind.kind],
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    types: './dist/index.d.ts',
    files: ['dist'],
    scripts: {
      build: 'tsc -p tsconfig.lib.json',
      typecheck: 'tsc -p tsconfig.json --noEmit',
      // evopt's root eslint.config.js covers the package; elsewhere, add the lint the workspace uses.
      ...(o.evoptRepo ? { lint: 'eslint src' } : {}),
      test: 'vitest run',
      prepublishOnly: 'npm run build && npm test',
    },
    peerDependencies: { '@evopt/core': `^${evoptVersion}` },
    ...(o.kind.usesZod ? { dependencies: { zod: TOOL_VERSIONS.zod } } : {}),
    devDependencies: sorted({ ...evoptPackages, ...tools }),
    ...(o.evoptRepo ? { nx: { tags: ['scope:plugin'] }, repository: { type: 'git', directory: o.projectRoot } } : {}),
  };
}

/** Where the package's tsconfigs extend from: the repository's base, or the package's own. */
function baseConfig(o: NormalizedOptions): string {
  return o.evoptRepo ? `${offsetFromRoot(o.projectRoot)}tsconfig.base.json` : './tsconfig.base.json';
}

/** The tsconfig files, shaped like those of evopt's own plugins: path → JSON. */
export function tsconfigFiles(o: NormalizedOptions): Record<string, Json> {
  const files: Record<string, Json> = {
    'tsconfig.json': {
      extends: baseConfig(o),
      compilerOptions: { noEmit: true },
      include: ['src/**/*.ts', 'src/**/*.tsx', 'test/**/*.ts'],
    },
    'tsconfig.lib.json': {
      extends: baseConfig(o),
      compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' },
      include: ['src/**/*.ts', 'src/**/*.tsx'],
      exclude: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'src/**/__fixtures__/**'],
    },
  };
  if (!o.evoptRepo) files['tsconfig.base.json'] = { compilerOptions: EVOPT_COMPILER_OPTIONS };
  return files;
}
