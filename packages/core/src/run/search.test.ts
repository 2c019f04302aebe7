import { describe, expect, it } from 'vitest';
import { fixtureEngineDeps } from '../__fixtures__/paper-plugin.js';
import { resolveConfig } from '../config/resolve.js';
import { createSearchEngine, inFlightGenomes } from './search.js';
import { engineSettings } from './setup.js';

const deps = fixtureEngineDeps(['adam'], 3);
const config = (ga: Record<string, unknown>) =>
  resolveConfig({ baseDir: '/p', cwd: '/p', env: {}, file: { preset: 'smoke', ga } });

describe('createSearchEngine', () => {
  it('picks the engine by ga.mode, and generation 0 is the same in both', () => {
    const generational = config({});
    const steady = config({ mode: 'steady-state' });
    const a = createSearchEngine(generational, engineSettings(generational), deps, null);
    const b = createSearchEngine(steady, engineSettings(steady), deps, null);
    expect([a.mode, b.mode]).toEqual(['generational', 'steady-state']);
    if (a.mode !== 'generational' || b.mode !== 'steady-state') throw new Error('modes');
    expect(b.engine.state.initialHashes).toEqual(a.engine.ask().map((e) => e.hash));
  });

  it('refuses a checkpoint written in the other mode, saying how the run was started', () => {
    const steady = config({ mode: 'steady-state' });
    const generational = config({});
    const state = createSearchEngine(generational, engineSettings(generational), deps, null).engine.state;
    expect(() => createSearchEngine(steady, engineSettings(steady), deps, state)).toThrow(
      /holds a generational GA, but its config says ga.mode "steady-state"/,
    );
  });
});

describe('inFlightGenomes', () => {
  it("is ga.inFlight, or for 'auto' the evaluator's workers, else half the population", () => {
    expect(inFlightGenomes(config({ mode: 'steady-state', inFlight: 5 }), { workers: 2 })).toBe(5);
    expect(inFlightGenomes(config({ mode: 'steady-state' }), { workers: 3 })).toBe(3);
    expect(inFlightGenomes(config({ mode: 'steady-state', populationSize: 9 }), {})).toBe(5);
  });
});
