/**
 * Chooses and starts this thread's TensorFlow.js backend, once. tfjs keeps one active backend per
 * thread (engine state is global), so a worker that evaluated genomes on wasm must not switch to
 * cpu halfway through: a second call with another choice is an error, not a switch.
 */
// tfjs-core's Node bundle registers no gradient functions; tfjs-layers' bundle registers them all,
// so a thread that initialised its backend here can train whatever else it imported.
import '@tensorflow/tfjs-layers';
import { EvoptError } from '@evopt/core';
import { BACKEND_CHOICES } from '../contracts.js';
import type { BackendChoice, BackendInfo } from '../contracts.js';
import { loadCpu, loadTensorflow, loadWasm } from './candidates.js';
import type { LoadedBackend } from './candidates.js';
import { autoSummary, SKIPPED_PREFIX, skippedReason } from './notice.js';

type BackendName = BackendInfo['name'];

const LOADERS: Readonly<Record<BackendName, () => Promise<LoadedBackend>>> = {
  tensorflow: loadTensorflow,
  wasm: loadWasm,
  cpu: loadCpu,
};

/** The order `auto` tries: fastest first. */
export const AUTO_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let current: { readonly choice: BackendChoice; readonly info: Promise<BackendInfo> } | undefined;

async function start(choice: BackendChoice, log: (message: string) => void): Promise<BackendInfo> {
  if (choice !== 'auto') {
    const loaded = await LOADERS[choice]();
    log(`backend ${choice} (${loaded.devices.join(', ')})`);
    return { name: choice, ...loaded, skipped: [] };
  }
  const skipped: string[] = [];
  const failures: { name: BackendName; error: unknown }[] = [];
  for (const name of AUTO_ORDER) {
    try {
      const loaded = await LOADERS[name]();
      log(failures.length ? autoSummary(name, failures) : `backend ${name} (${loaded.devices.join(', ')})`);
      return { name, ...loaded, skipped };
    } catch (error) {
      const reason = skippedReason(name, error);
      skipped.push(reason);
      failures.push({ name, error });
      log(`${SKIPPED_PREFIX}${reason}`);
    }
  }
  throw new EvoptError('CONFIG_INVALID', `backend 'auto' found no backend that starts:\n  ${skipped.join('\n  ')}`, {
    fix: 'reinstall @evopt/tfjs so that @tensorflow/tfjs-backend-cpu is present',
    details: { skipped },
  });
}

/**
 * Starts the backend for `choice` on this thread and says what it got. `auto` tries tensorflow
 * (tfjs-node-gpu), then wasm, then cpu, and lists why each earlier one was skipped. Calling again
 * with the same choice returns the same info; another choice throws CONFIG_INVALID.
 */
export function initBackend(choice: BackendChoice, log: (message: string) => void = () => {}): Promise<BackendInfo> {
  if (!BACKEND_CHOICES.includes(choice)) {
    return Promise.reject(
      new EvoptError('CONFIG_INVALID', `unknown backend '${String(choice)}'`, {
        fix: `use one of: ${BACKEND_CHOICES.join(', ')}`,
        details: { backend: choice, valid: BACKEND_CHOICES },
      }),
    );
  }
  if (current) {
    if (current.choice === choice) return current.info;
    return Promise.reject(
      new EvoptError(
        'CONFIG_INVALID',
        `backend '${choice}' requested, but this thread already initialised backend '${current.choice}'`,
        {
          fix: 'choose the backend once per process or worker (config `backend` or --backend); tfjs cannot switch safely mid-run',
          details: { requested: choice, current: current.choice },
        },
      ),
    );
  }
  const info = start(choice, log);
  current = { choice, info };
  // A failed start leaves nothing initialised, so a later call (e.g. with a fallback choice) may try again.
  info.catch(() => {
    if (current?.info === info) current = undefined;
  });
  return info;
}

/** Forgets the cached choice. For tests that exercise several choices in one process only. */
export function resetBackendForTests(): void {
  current = undefined;
}
