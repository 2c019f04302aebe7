import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/**
 * A fresh directory under the OS temp dir, removed after the current test. Call at module level
 * of a test file to register the cleanup, then `make()` inside tests.
 */
export function useTempDirs(): { make: () => string } {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return {
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), 'evopt-store-'));
      made.push(dir);
      return dir;
    },
  };
}
