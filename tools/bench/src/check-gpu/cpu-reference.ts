// A worker thread of the check runner: the genome optimizer trace on the cpu backend. tfjs keeps
// one backend per thread, so the reference runs here while the runner's thread stays on the
// backend under test.
import { parentPort } from 'node:worker_threads';
import { initBackend } from '@evopt/tfjs';
import { optimizerTrace } from './optimizer-trace.js';

await initBackend('cpu');
parentPort?.postMessage(optimizerTrace());
