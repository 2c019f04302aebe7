import { describe, expect, it } from 'vitest';
import {
  baselineGenome,
  createGenomeSpace,
  createRegistries,
  defineSchedule,
  freezeRegistries,
  GeneticEngine,
  paper,
  registerPlugin,
  type Genome,
  type SelectionStrategy,
} from '@evopt/core';
import plugin from './index.js';

// The real plugin in the real engine: which primitives a run's genomes can hold.
const mutable = createRegistries();
registerPlugin(mutable, plugin);
mutable.schedules.register(
  defineSchedule({ id: 'constant', meta: { summary: 'η = lr', params: {} }, multiplier: () => 1 }),
  'test',
);
const registries = freezeRegistries(mutable);

const settings = { populationSize: 16, generations: 6, elites: 2, crossoverRate: 1, mutation: paper.PAPER_GA.mutation };
/** Binary tournaments: enough pressure to breed, and it uses only the engine's rng. */
const selection: SelectionStrategy = {
  select: (scored, count, rng) =>
    Array.from({ length: count }, () => {
      const [a, b] = [rng.int(0, scored.length - 1), rng.int(0, scored.length - 1)];
      return (scored[a]?.fitness ?? -1) >= (scored[b]?.fitness ?? -1) ? a : b;
    }),
};

/** Every primitive in every generation of a run over `primitives`, seeded with `seeds`. */
function primitivesOfRun(primitives: readonly string[] | null, seeds: readonly Genome[], seed: number): Set<string> {
  const space = createGenomeSpace(registries, { primitives, schedules: ['constant'], maxTerms: 4 });
  const engine = GeneticEngine.create(settings, { space, selection, lookups: registries, seeds }, seed);
  const seen = new Set<string>();
  while (!engine.done) {
    const population = engine.ask();
    for (const { genome } of population) for (const term of genome.terms) seen.add(term.primitive);
    // Any deterministic fitness: more distinct terms score higher, so terms get added and changed.
    engine.tell(
      new Map(population.map(({ hash, genome }) => [hash, new Set(genome.terms.map((t) => t.primitive)).size])),
    );
  }
  return seen;
}

/** The primitives a term over `ids` can become in canonical form (lion without m is sign, adam without m is rms, …). */
function withReductions(ids: readonly string[]): Set<string> {
  const closure = new Set(ids);
  for (const id of closure) {
    const { withoutM, withoutV } = registries.primitives.get(id).meta.reducesTo ?? {};
    for (const next of [withoutM, withoutV]) if (next) closure.add(next);
  }
  return closure;
}

describe('the search space with more primitives registered', () => {
  it('draws from every registered primitive when ga.primitives is null: the new ones join the search', () => {
    const seen = primitivesOfRun(null, [], 1);
    for (const id of ['lion', 'powersign', 'addsign', 'adabelief', 'sign-m']) expect(seen, id).toContain(id);
  });

  it('with ga.primitives ["lion", "adam"], draws only those, or what they reduce to in canonical form', () => {
    for (const seed of [1, 2, 3]) {
      const seen = primitivesOfRun(['lion', 'adam'], [baselineGenome('adam')], seed);
      expect(seen).toContain('lion');
      expect(seen).toContain('adam');
      // sign (lion without m), rms (adam without m) and unit (rms without v) compute the same update
      // as the term that was drawn; nothing else may appear.
      expect([...seen].filter((id) => !withReductions(['lion', 'adam']).has(id))).toEqual([]);
    }
  });

  it("with the paper's seven primitives, as the paper preset sets them, never draws a primitive beyond the paper", () => {
    const seeds = paper.PAPER_BASELINE_IDS.map((id) => baselineGenome(id));
    const seen = primitivesOfRun(paper.PAPER_PRIMITIVE_IDS, seeds, 4);
    expect([...seen].filter((id) => !(paper.PAPER_PRIMITIVE_IDS as readonly string[]).includes(id))).toEqual([]);
    expect(seen.size).toBeGreaterThan(3);
  });
});
