import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineSelection,
  EvoptError,
  type Rng,
  type Scored,
  type SelectionDefinition,
  type SelectionStrategy,
} from '@evopt/core';
import { checkSelection, testSelection } from './selection.js';

/** Binary tournament written inline: the smallest strategy that conforms. */
function pairwise(scored: readonly Scored[], count: number, rng: Rng): number[] {
  return Array.from({ length: count }, () => {
    const a = rng.int(0, scored.length - 1);
    const b = rng.int(0, scored.length - 1);
    return (scored[a]?.fitness ?? 0) >= (scored[b]?.fitness ?? 0) ? a : b;
  });
}

const binary = defineSelection({
  id: 'binary',
  meta: { summary: 'Binary tournament.', options: z.strictObject({ rounds: z.number().int().min(1).default(1) }) },
  create: () => ({ select: pairwise }),
});

function strategy(
  select: SelectionStrategy['select'],
  meta: Partial<SelectionDefinition['meta']> = {},
): SelectionDefinition {
  return defineSelection({
    id: 'broken',
    meta: { summary: 'A deliberately broken strategy.', ...meta },
    create: () => ({ select }),
  });
}

const rulesOf = (def: SelectionDefinition) => [...new Set(checkSelection(def).map((v) => v.rule))];

describe('checkSelection', () => {
  it('finds nothing wrong with a conforming strategy, with default or given options', () => {
    expect(checkSelection(binary)).toEqual([]);
    expect(checkSelection(binary, { options: { rounds: 3 } })).toEqual([]);
  });

  it('reports options the schema rejects', () => {
    expect(checkSelection(binary, { options: { round: 3 } }).map((v) => v.rule)).toContain('options-defaults');
  });

  it('reports an options schema without defaults', () => {
    const def = strategy(pairwise, { options: z.strictObject({ k: z.number() }) });
    expect(rulesOf(def)).toContain('options-defaults');
  });

  it('reports one index too few, and an index out of range, as count-and-range', () => {
    expect(rulesOf(strategy((s, count, rng) => pairwise(s, count, rng).slice(1)))).toContain('count-and-range');
    expect(rulesOf(strategy((s, count) => Array.from({ length: count }, () => s.length)))).toContain('count-and-range');
  });

  it('reports a roulette that divides by the fitness sum as edge-fitness', () => {
    const naive = strategy((s, count, rng) => {
      const total = s.reduce((sum, x) => sum + x.fitness, 0);
      return Array.from({ length: count }, () => {
        let x = rng.float() * total;
        return s.findIndex((c) => (x -= c.fitness) < 0);
      });
    });
    expect(rulesOf(naive)).toContain('edge-fitness');
  });

  it('reports a strategy that throws on a single candidate as edge-fitness', () => {
    const def = strategy((s, count, rng) => {
      if (s.length < 2) throw new Error('need two');
      return pairwise(s, count, rng);
    });
    expect(rulesOf(def)).toEqual(['edge-fitness']);
  });

  it('reports Math.random as only-rng (and its results as not deterministic)', () => {
    // eslint-disable-next-line no-restricted-properties -- the deliberate mistake under test
    const def = strategy((s, count) => Array.from({ length: count }, () => Math.floor(Math.random() * s.length)));
    expect(rulesOf(def)).toEqual(expect.arrayContaining(['only-rng', 'deterministic']));
  });

  it('reports state kept between calls as not deterministic', () => {
    let calls = 0;
    const def = strategy((s, count, rng) => {
      const shift = calls++;
      return pairwise(s, count, rng).map((i) => (i + shift) % s.length);
    });
    expect(rulesOf(def)).toContain('deterministic');
  });

  it('reports sorting scored in place as no-input-mutation', () => {
    const def = strategy((s, count) => {
      (s as Scored[]).sort((a, b) => b.fitness - a.fitness);
      return Array.from({ length: count }, () => 0);
    });
    expect(rulesOf(def)).toContain('no-input-mutation');
  });

  it('reports a strategy that prefers the worst, or a position, as selection-pressure', () => {
    const worst = strategy((s, count, rng) =>
      pairwise(
        s.map((x) => ({ fitness: -x.fitness })),
        count,
        rng,
      ),
    );
    expect(rulesOf(worst)).toEqual(['selection-pressure']);
    expect(rulesOf(strategy((_s, count) => Array.from({ length: count }, () => 0)))).toEqual(['selection-pressure']);
  });
});

describe('testSelection', () => {
  it('throws an error naming the broken rule and its fix', () => {
    const registered: [string, () => unknown][] = [];
    testSelection(
      strategy((_s, count) => Array.from({ length: count }, () => 0)),
      { test: (name, fn) => registered.push([name, fn]) },
    );
    const [name, fn] = registered.find(([n]) => n.includes('› selection-pressure:')) ?? ['', () => undefined];
    expect(name).toMatch(/^selection strategy "broken" › selection-pressure: /);
    expect(fn).toThrow(EvoptError);
    expect(fn).toThrow(/breaks the conformance rule "selection-pressure"[\s\S]*fix: Favour higher fitness/);
  });
});

describe('testSelection with vitest', () => {
  testSelection(binary, { test: it, options: { rounds: 2 } });
});
