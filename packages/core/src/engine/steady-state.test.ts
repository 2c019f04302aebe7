import { describe, expect, it } from 'vitest';
import { fixtureEngineDeps } from '../__fixtures__/paper-plugin.js';
import type { Genome } from '../genome/schema.js';
import { PAPER_GA } from '../presets/paper.js';
import { Rng } from '../rng.js';
import { GeneticEngine } from './engine.js';
import { SteadyStateEngine, type SteadyStateBirth, type SteadyStateSettings } from './steady-state.js';

const deps = fixtureEngineDeps();
const settings: SteadyStateSettings = {
  populationSize: 12,
  generations: 4,
  elites: 3,
  crossoverRate: 1,
  mutation: PAPER_GA.mutation,
  replacement: 'worst',
};

/** Prefers genomes with many sign terms and a learning rate near 1e-3 (as engine.test.ts). */
const objective = (genome: Genome): number =>
  genome.terms.filter((t) => t.primitive === 'sign').length - Math.abs(Math.log10(genome.lr) + 3);

/**
 * Runs a whole budget with `inFlight` genomes out at once; the genome told next is drawn by
 * `order` among those in flight (a stand-in for whichever worker finishes first).
 */
function drive(
  engine: SteadyStateEngine,
  inFlight: number,
  order: Rng,
  stopAfter = Infinity,
): { told: number; generationEnds: number } {
  const flying: SteadyStateBirth[] = [...engine.pending];
  let told = 0;
  let generationEnds = 0;
  for (;;) {
    while (flying.length < inFlight) {
      const next = engine.next();
      if (next.kind !== 'genome') break;
      flying.push(next.entry);
    }
    if (flying.length === 0 || told >= stopAfter) break;
    const [entry] = flying.splice(order.int(0, flying.length - 1), 1) as [SteadyStateBirth];
    engine.tell(entry.hash, objective(entry.genome));
    told++;
    if (engine.atGenerationEnd) generationEnds++;
  }
  return { told, generationEnds };
}

describe('SteadyStateEngine', () => {
  it('hands out generation 0 first: the same genomes the generational engine starts from', () => {
    const engine = SteadyStateEngine.create(settings, deps, 3);
    const handed = Array.from({ length: settings.populationSize }, () => engine.next());
    expect(handed.map((n) => (n.kind === 'genome' ? n.entry.hash : n.kind))).toEqual(
      GeneticEngine.create(settings, deps, 3)
        .ask()
        .map((e) => e.hash),
    );
    expect(engine.state.initialHashes).toHaveLength(settings.populationSize);
  });

  it('waits to breed until half of generation 0 is scored', () => {
    const engine = SteadyStateEngine.create(settings, deps, 4);
    const initial = Array.from({ length: settings.populationSize }, () => engine.next()).map((n) =>
      n.kind === 'genome' ? n.entry : null,
    );
    expect(engine.next().kind).toBe('wait');
    for (const entry of initial.slice(0, settings.populationSize / 2 - 1))
      engine.tell(entry!.hash, objective(entry!.genome));
    expect(engine.next().kind).toBe('wait');
    engine.tell(initial[settings.populationSize / 2 - 1]!.hash, 0);
    const child = engine.next();
    expect(child.kind).toBe('genome');
    expect(engine.state.initialHashes).not.toContain(child.kind === 'genome' ? child.entry.hash : '');
  });

  it("scores exactly the generational run's budget, closing a generation every populationSize − elites tells", () => {
    const engine = SteadyStateEngine.create(settings, deps, 5);
    const { told, generationEnds } = drive(engine, 5, Rng.fromSeed(1));
    expect(told).toBe(12 + 3 * 9);
    expect(generationEnds).toBe(settings.generations);
    expect(engine.done).toBe(true);
    expect(engine.next().kind).toBe('done');
    expect(engine.state.population).toHaveLength(12);
  });

  it('never holds one canonical genome twice among the members and the genomes in flight', () => {
    const engine = SteadyStateEngine.create(settings, deps, 6);
    const order = Rng.fromSeed(2);
    while (!engine.done) {
      drive(engine, 6, order, 1);
      const hashes = [...engine.state.population, ...engine.pending].map((m) => m.hash);
      expect(new Set(hashes).size).toBe(hashes.length);
    }
  });

  it("with 'worst' replacement, a child must beat the worst member, and the best is never lost", () => {
    const engine = SteadyStateEngine.create(settings, deps, 7);
    drive(engine, 4, Rng.fromSeed(3), settings.populationSize);
    expect(engine.state.population).toHaveLength(12);
    const next = (): SteadyStateBirth => {
      const n = engine.next();
      if (n.kind !== 'genome') throw new Error(n.kind);
      return n.entry;
    };
    const worst = Math.min(...engine.state.population.map((m) => m.fitness));
    const best = Math.max(...engine.state.population.map((m) => m.fitness));
    const loser = next();
    expect(engine.tell(loser.hash, worst - 1)).toEqual({ admitted: false, replaced: null });
    const winner = next();
    const victim = [...engine.state.population].sort((a, b) => a.fitness - b.fitness || a.born - b.born)[0]!;
    expect(engine.tell(winner.hash, best + 1)).toEqual({ admitted: true, replaced: victim.hash });
    expect(engine.state.population.map((m) => m.hash)).toContain(winner.hash);
    expect(engine.state.population).toHaveLength(12);
  });

  it("with 'oldest' replacement, the oldest member goes, sparing the elites", () => {
    const engine = SteadyStateEngine.create({ ...settings, replacement: 'oldest' }, deps, 8);
    const initial = Array.from({ length: 12 }, () => engine.next()).map((n) => (n.kind === 'genome' ? n.entry : null)!);
    // The oldest genome scores best: it is an elite, so the next-oldest goes instead.
    initial.forEach((entry, i) => engine.tell(entry.hash, i === 0 ? 10 : i));
    const child = engine.next();
    if (child.kind !== 'genome') throw new Error(child.kind);
    expect(engine.tell(child.entry.hash, -5)).toEqual({ admitted: true, replaced: initial[1]!.hash });
    expect(engine.state.population.map((m) => m.hash)).toContain(initial[0]!.hash);
  });

  it('is deterministic for an order of tells, and a restored state carries on exactly', () => {
    const whole = SteadyStateEngine.create(settings, deps, 9);
    drive(whole, 4, Rng.fromSeed(4));
    const again = SteadyStateEngine.create(settings, deps, 9);
    drive(again, 4, Rng.fromSeed(4));
    expect(again.state).toEqual(whole.state);

    // Stop a third run mid-way, round-trip its state through JSON (the checkpoint), and finish it.
    const first = SteadyStateEngine.create(settings, deps, 9);
    const order = Rng.fromSeed(4);
    drive(first, 4, order, 17);
    const restored = SteadyStateEngine.restore(settings, deps, JSON.parse(JSON.stringify(first.state)));
    expect(restored.pending.length).toBeGreaterThan(0);
    drive(restored, 4, order);
    expect(restored.done).toBe(true);
    expect(restored.state.told).toBe(whole.state.told);
  });

  it('improves the objective it is told', () => {
    const engine = SteadyStateEngine.create({ ...settings, generations: 12 }, deps, 11);
    drive(engine, 12, Rng.fromSeed(5), 12);
    const start = Math.max(...engine.state.population.map((m) => m.fitness));
    drive(engine, 4, Rng.fromSeed(5));
    expect(Math.max(...engine.state.population.map((m) => m.fitness))).toBeGreaterThan(start);
  });

  it('refuses a tell for a genome it did not hand out', () => {
    const engine = SteadyStateEngine.create(settings, deps, 12);
    expect(() => engine.tell('f'.repeat(64), 1)).toThrow(/not handed out/);
  });
});
