/**
 * `npm run bench`: the figures behind docs/PERFORMANCE.md. It prints each measurement and the
 * ratios that matter (`--json`: one JSON object); nothing here asserts a speed.
 *
 *   npm run bench                      every section (about 25 minutes on 2 cores)
 *   npm run -s bench -- --json         the same, as one JSON object on stdout
 *   npm run bench -- --only engine,training
 *   npm run bench -- --only distributed   queue workers 1, 2, 4, 8, generational and steady-state (needs redis-server; ≈ 4 min)
 *   npm run bench -- --only steady        the quick preset in both GA modes, two seeds (≈ 7 min)
 */
import { cpus } from 'node:os';
import { Report } from './report.js';
import { benchRegistries } from './sections/context.js';
import { engineSection } from './sections/engine.js';
import { trainingSection } from './sections/training.js';
import { scalingSection } from './sections/scaling.js';
import { quickRunSection } from './sections/quick-run.js';
import { replicationSection } from './sections/replication.js';
import { cifarSection } from './sections/cifar.js';
import { appSection } from './sections/app.js';
import { distributedSection } from './sections/distributed.js';
import { steadySection } from './sections/steady.js';

const SECTIONS = [
  'engine',
  'training',
  'cifar',
  'scaling',
  'quick',
  'replication',
  'app',
  'distributed',
  'steady',
] as const;

async function main(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  const onlyArg = argv[argv.indexOf('--only') + 1];
  const only = argv.includes('--only') && onlyArg ? onlyArg.split(',') : [...SECTIONS];
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);
  const report = new Report(json);
  const machine = `node ${process.version} · ${cpus().length} cores · ${cpus()[0]?.model ?? 'unknown cpu'}`;
  report.add('machine', machine, 'evopt bench', machine);
  const loaded = await benchRegistries();
  if (only.includes('engine')) engineSection(report, loaded);
  if (only.includes('training')) await trainingSection(report, loaded);
  if (only.includes('cifar')) await cifarSection(report, loaded);
  if (only.includes('scaling')) await scalingSection(report, loaded);
  if (only.includes('quick')) quickRunSection(report);
  if (only.includes('replication')) await replicationSection(report, loaded);
  if (only.includes('app')) appSection(report);
  if (only.includes('distributed')) await distributedSection(report);
  if (only.includes('steady')) steadySection(report);
  if (json) console.log(JSON.stringify(report.figures, null, 2));
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
