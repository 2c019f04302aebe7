import { describe, expect, it } from 'vitest';
import { createRegistries, registerPlugin } from '@evopt/core';
import { testSchedule } from '@evopt/testing';
import plugin from './index.js';

// The plugin goes through the same validation as at load time, then every schedule it
// registers runs the conformance suite that third-party schedules run.
const registries = createRegistries();
registerPlugin(registries, plugin);

describe('@evopt/plugin-schedules', () => {
  it('registers the six schedules', () => {
    expect(registries.schedules.ids()).toEqual(['constant', 'cosine', 'linear', 'step', 'warmup', 'warmup-cosine']);
    expect(registries.schedules.all().every((entry) => entry.plugin === '@evopt/plugin-schedules')).toBe(true);
  });

  for (const { item } of registries.schedules.all()) {
    describe(`schedule "${item.id}"`, () => testSchedule(item, { test: it }));
  }
});
