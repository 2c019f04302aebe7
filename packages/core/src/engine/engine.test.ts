import { describe, expect, it } from 'vitest';
import { fixtureEngineDeps } from '../__fixtures__/paper-plugin.js';
import { PAPER_GA } from '../presets/paper.js';
import { GeneticEngine, type EngineSettings } from './engine.js';

const deps = fixtureEngineDeps();
const settings: EngineSettings = {
  populationSize: 12,
  generations: 4,
  elites: 3,
  crossoverRate: 1,
  mutation: PAPER_GA.mutation,
};

/** A fitness that prefers genomes with many sign terms and a learning rate near 1e-3. */
function score(engine: GeneticEngine): Map<string, number> {
  return new Map(
    engine
      .ask()
      .map(({ hash, genome }) => [
        hash,
        genome.terms.filter((t) => t.primitive === 'sign').length - Math.abs(Math.log10(genome.lr) + 3),
      ]),
  );
}

function run(seed: number): GeneticEngine {
  const engine = GeneticEngine.create(settings, deps, seed);
  while (!engine.done) engine.tell(score(engine));
  return engine;
}

describe('GeneticEngine', () => {
  it('starts from the baselines, then distinct random genomes', () => {
    const population = GeneticEngine.create(settings, deps, 1).ask();
    expect(population).toHaveLength(12);
    expect(population.slice(0, 4).map((e) => e.genome.terms[0]?.primitive)).toEqual([
      'momentum',
      'adam',
      'adam',
      'rms',
    ]);
    expect(new Set(population.map((e) => e.hash)).size).toBe(12);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    expect(run(7).state).toEqual(run(7).state);
    expect(run(7).state.population).not.toEqual(run(8).state.population);
  });

  it('keeps the elites, with their hashes, in the next generation', () => {
    const engine = GeneticEngine.create(settings, deps, 2);
    const fitness = score(engine);
    const top = [...fitness]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([hash]) => hash);
    engine.tell(fitness);
    expect(
      engine
        .ask()
        .slice(0, 3)
        .map((e) => e.hash),
    ).toEqual(top);
    expect(engine.generation).toBe(1);
  });

  it('never holds one canonical genome twice in a population', () => {
    const engine = GeneticEngine.create(settings, deps, 5);
    while (!engine.done) {
      expect(new Set(engine.ask().map((e) => e.hash)).size).toBe(settings.populationSize);
      engine.tell(score(engine));
    }
  });

  it('improves the objective it is told', () => {
    const engine = GeneticEngine.create({ ...settings, generations: 12 }, deps, 11);
    const best = () => Math.max(...score(engine).values());
    const first = best();
    while (!engine.done) engine.tell(score(engine));
    expect(best()).toBeGreaterThan(first);
  });

  it('resumes from its state exactly: the restored engine breeds what the original would', () => {
    const original = GeneticEngine.create(settings, deps, 9);
    original.tell(score(original));
    const restored = GeneticEngine.restore(settings, deps, JSON.parse(JSON.stringify(original.state)));
    original.tell(score(original));
    restored.tell(score(restored));
    expect(restored.state).toEqual(original.state);
  });

  it('marks itself done after the last generation and refuses another tell', () => {
    const engine = run(3);
    expect(engine.done).toBe(true);
    expect(engine.generation).toBe(3);
    expect(() => engine.tell(new Map())).toThrow(/after the last generation/);
  });

  it('refuses more elites than the population', () => {
    expect(() => GeneticEngine.create({ ...settings, elites: 12 }, deps, 1)).toThrow(
      /ga.elites \(12\) must be smaller than ga.populationSize \(12\)/,
    );
  });
});
