import { defineConfig } from 'vitest/config';

// Loading an evopt.config.ts compiles TypeScript, and worker tests start threads: on a loaded
// 2-core CI machine either can take longer than vitest's default 5 s.
export default defineConfig({ test: { testTimeout: 30_000 } });
