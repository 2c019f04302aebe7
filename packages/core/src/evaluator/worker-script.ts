import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EvoptError } from '../errors.js';

/**
 * Where the pool's worker script is. Worker threads run plain JavaScript, so the script is
 * always the compiled `worker-entry.js`:
 * - built (dist/evaluator/worker-pool.js), it sits next to this module;
 * - imported from source (vitest loads src/evaluator/worker-pool.ts), it is the built copy in
 *   packages/core/dist/evaluator/; the nx `test` target builds core first.
 */
export function workerScriptUrl(moduleUrl: string = import.meta.url): URL {
  return moduleUrl.endsWith('.ts')
    ? new URL('../../dist/evaluator/worker-entry.js', moduleUrl)
    : new URL('./worker-entry.js', moduleUrl);
}

/** Throws a message that says how to build the script when it is missing. */
export function assertWorkerScript(script: URL): void {
  if (script.protocol === 'file:' && !existsSync(fileURLToPath(script))) {
    throw new EvoptError('INTERNAL', `The worker-pool script ${fileURLToPath(script)} does not exist.`, {
      fix: 'Build @evopt/core first (npx nx run core:build, or npx tsc -p tsconfig.lib.json in packages/core).',
      details: { script: script.href },
    });
  }
}
