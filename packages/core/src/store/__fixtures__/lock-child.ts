// Spawned by lock.test.ts: takes the lock of a run directory, then exits the way argv says.
import { RunLock } from '../lock.js';

const [dir, how] = process.argv.slice(2);
if (!dir || !how) throw new Error('usage: lock-child.ts <run-dir> exit|kill');
RunLock.acquire(dir);
if (how === 'kill') process.kill(process.pid, 'SIGKILL');
process.exit(0);
