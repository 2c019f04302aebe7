import { describe, expect, it } from 'vitest';
import { createRegistries, registerPlugin } from '@evopt/core';
import { testSelection } from '@evopt/testing';
import plugin from './index.js';

// The plugin goes through the same validation as at load time, then every strategy it registers
// runs the conformance suite that third-party strategies run.
const registries = createRegistries();
registerPlugin(registries, plugin);

describe('@evopt/plugin-selection', () => {
  it('registers the four strategies', () => {
    expect(registries.selections.ids()).toEqual(['rank', 'roulette', 'tournament', 'truncation']);
  });

  for (const { item } of registries.selections.all()) {
    describe(`selection strategy "${item.id}"`, () => testSelection(item, { test: it }));
  }
});

describe('strategies at the edges of their options', () => {
  testSelection(registries.selections.get('tournament'), { test: it, options: { k: 2 } });
  testSelection(registries.selections.get('truncation'), { test: it, options: { fraction: 0.01 } });
  testSelection(registries.selections.get('rank'), { test: it, options: { pressure: 2 } });
});
