import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/.evopt/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // Randomness comes from a seeded Rng passed in explicitly; see packages/core/src/rng.ts.
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use the seeded Rng passed in (packages/core/src/rng.ts); runs must be reproducible.' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['apps/evopt/src/cli/**', 'tools/**', '**/*.test.ts', '**/worker-entry.ts'],
    rules: { 'no-console': 'off' },
  },
);
