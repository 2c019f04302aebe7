import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';
import { layersPlugin } from './tools/layers/src/eslint-rule.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/.evopt/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Randomness comes from a seeded Rng passed in explicitly; see packages/core/src/rng.ts.
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use the seeded Rng passed in (packages/core/src/rng.ts); runs must be reproducible.',
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The layers (tools/layers/src/layers.js): core imports no plugin, tfjs or app; plugins import
    // packages only; apps and tools import anything; the test kits are for tests.
    plugins: { evopt: layersPlugin },
    rules: { 'evopt/layers': ['error', { root }] },
  },
  {
    // Plain-JavaScript tools run on Node (TypeScript files get these from @types/node).
    files: ['**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['apps/evopt/src/cli/**', 'tools/**', '**/*.test.ts', '**/worker-entry.ts'],
    rules: { 'no-console': 'off' },
  },
);
