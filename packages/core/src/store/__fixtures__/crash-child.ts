// Spawned by journal.test.ts: appends N events, then dies by SIGKILL with no chance to flush or close.
import { Journal } from '../journal.js';

const [path, count] = process.argv.slice(2);
if (!path || !count) throw new Error('usage: crash-child.ts <journal> <count>');
const journal = Journal.open(path);
for (let i = 0; i < Number(count); i++) {
  journal.append({ type: 'warning', time: new Date().toISOString(), code: 'CRASH_TEST', message: `event ${i}` });
}
process.kill(process.pid, 'SIGKILL');
