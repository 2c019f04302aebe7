import { defineConfig } from 'vitest/config';

// The end-to-end tests build generated packages with tsc, run their tests and a short evolution;
// give them room on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
