import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  baselineGenome,
  canonicalize,
  createGenomeSpace,
  EventBus,
  GeneticEngine,
  genomeHash,
  Journal,
  paper,
  randomGenome,
  Rng,
  type LoadedRegistries,
} from '@evopt/core';
import { time, type Report } from '../report.js';

/** The GA engine, canonicalisation and the journal: none of them may be what a run waits for. */
export function engineSection(report: Report, loaded: LoadedRegistries): void {
  const { registries } = loaded;
  report.heading('Engine and journal');
  const selection = registries.selections.get('tournament').create({ k: paper.PAPER_GA.tournamentSize });
  const space = createGenomeSpace(registries, { primitives: null, schedules: null, maxTerms: 4 });
  const seeds = paper.PAPER_BASELINE_IDS.map(baselineGenome);
  const generations = paper.PAPER_GA.generations;
  const ga = time(() => {
    const engine = GeneticEngine.create(
      { ...paper.PAPER_GA, generations },
      { space, selection, lookups: registries, seeds },
      1,
    );
    const rng = Rng.fromSeed(2);
    while (!engine.done) engine.tell(new Map(engine.ask().map((e) => [e.hash, rng.float()])));
  });
  report.add(
    'gaMsPerGeneration',
    (ga.seconds / generations) * 1000,
    'GA engine, population 50, 50 generations',
    `${(ga.seconds * 1000).toFixed(0)} ms (${((ga.seconds / generations) * 1000).toFixed(2)} ms/generation)`,
  );

  const rng = Rng.fromSeed(3);
  const genomes = Array.from({ length: 20_000 }, () => randomGenome(space, rng));
  const hashing = time(() => genomes.map((g) => genomeHash(canonicalize(g, registries), registries)));
  report.add(
    'hashesPerSecond',
    genomes.length / hashing.seconds,
    'canonicalize + hash',
    `${(genomes.length / hashing.seconds).toFixed(0)} genomes/s`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'evopt-bench-'));
  try {
    const journal = Journal.open(join(dir, 'events.jsonl'));
    const event = new EventBus().emit({ type: 'warning', code: 'BENCH', message: 'x'.repeat(400) });
    const plain = time(() => {
      for (let i = 0; i < 5000; i++) journal.append(event);
    });
    const durable = time(() => {
      for (let i = 0; i < 300; i++) journal.append(event, { durable: true });
    });
    journal.close();
    report.add(
      'journalEventsPerSecond',
      5000 / plain.seconds,
      'journal append (buffered)',
      `${(5000 / plain.seconds).toFixed(0)} events/s`,
    );
    report.add(
      'journalDurableEventsPerSecond',
      300 / durable.seconds,
      'journal append (fsync, per evaluation record)',
      `${(300 / durable.seconds).toFixed(0)} events/s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
