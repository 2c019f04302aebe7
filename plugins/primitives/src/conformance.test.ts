import { describe, expect, it } from 'vitest';
import { createRegistries, registerPlugin } from '@evopt/core';
import { testPrimitive } from '@evopt/testing';
import plugin from './index.js';

// The plugin goes through the same validation as at load time, then every primitive it
// registers runs the conformance suite that third-party primitives run.
const registries = createRegistries();
registerPlugin(registries, plugin);

describe('@evopt/plugin-primitives', () => {
  it('registers the paper\'s seven primitives', () => {
    expect(registries.primitives.ids()).toEqual(['adam', 'grad', 'momentum', 'nesterov', 'rms', 'sign', 'unit']);
  });

  for (const { item } of registries.primitives.all()) {
    describe(`primitive "${item.id}"`, () => testPrimitive(item, { test: it }));
  }
});
