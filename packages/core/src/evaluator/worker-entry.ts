/**
 * The script each worker thread of the pool runs (from dist/: the pool starts the compiled
 * file). It loads the run's plugins into its own registries, then evaluates batches with one
 * {@link TaskHost}, so each task prepares its data once per worker.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { serializeError } from '../errors.js';
import { importPlugin } from '../plugin/loader.js';
import { registerPlugin } from '../plugin/validate.js';
import { createRegistries, freezeRegistries, type ReadonlyRegistries } from '../registry/registries.js';
import type { EvaluateMessage, PoolWorkerData, WorkerMessage } from './protocol.js';
import { TaskHost } from './task-host.js';

if (!parentPort) throw new Error('worker-entry.js runs inside a worker thread started by WorkerPoolEvaluator.');
const port: MessagePort = parentPort;
const data = workerData as PoolWorkerData;
const send = (message: WorkerMessage): void => port.postMessage(message);

async function loadRegistries(): Promise<ReadonlyRegistries> {
  const registries = createRegistries();
  for (const url of new Set(data.pluginUrls)) registerPlugin(registries, await importPlugin(url, url));
  return freezeRegistries(registries);
}

async function main(): Promise<void> {
  let registries: ReadonlyRegistries;
  try {
    registries = await loadRegistries();
  } catch (error) {
    send({ type: 'fatal', error: serializeError(error) });
    // Stay alive until the pool terminates us, so the fatal message cannot be lost to an early exit.
    port.on('message', () => undefined);
    return;
  }
  const host = new TaskHost({
    registries,
    taskOptions: data.taskOptions,
    dataDir: data.dataDir,
    backend: data.backend,
    log: (message) => send({ type: 'log', message }),
    report: (info) => send({ type: 'info', info }),
  });
  port.on('message', (message: EvaluateMessage) => {
    if (message.type !== 'evaluate') return;
    const { id, requests } = message;
    void host
      .evaluate(requests, data.name, {
        started: (request) => send({ type: 'started', id, index: requests.indexOf(request) }),
        progress: (request, progress) => send({ type: 'progress', id, index: requests.indexOf(request), progress }),
      })
      .then((records) => send({ type: 'finished', id, records }))
      .catch((error: unknown) => {
        // TaskHost turns task failures into records; reaching here is a bug in evopt itself.
        send({ type: 'fatal', error: serializeError(error) });
      });
  });
  send({ type: 'ready' });
}

void main();
