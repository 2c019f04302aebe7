import { describe, expect, it } from 'vitest';
import { createRegistries, paper, registerPlugin } from '@evopt/core';
import { testPrimitive } from '@evopt/testing';
import plugin, { lion } from './index.js';

// The plugin goes through the same validation as at load time, then every primitive it
// registers runs the conformance suite that third-party primitives run. The same terms on
// TensorFlow.js tensors are checked in @evopt/testing-tfjs (builtins.test.ts), which sits above
// @evopt/tfjs in the graph.
const registries = createRegistries();
registerPlugin(registries, plugin);

describe('@evopt/plugin-primitives', () => {
  it("registers the paper's seven primitives, the sign family and adabelief", () => {
    expect(registries.primitives.ids()).toEqual([
      'adabelief',
      'adam',
      'addsign',
      'grad',
      'lion',
      'momentum',
      'nesterov',
      'powersign',
      'rms',
      'sign',
      'sign-m',
      'unit',
    ]);
  });

  it('provides every primitive of the paper, which the paper preset restricts its search to', () => {
    for (const id of paper.PAPER_PRIMITIVE_IDS) expect(registries.primitives.has(id), id).toBe(true);
  });

  for (const { item } of registries.primitives.all()) {
    describe(`primitive "${item.id}"`, () => {
      testPrimitive(item, { test: it });
    });
  }

  // Options change the term, so the suite runs again at the ends of β's range.
  describe.each([0, 0.5, 1])('primitive "lion" with beta %s', (beta) =>
    testPrimitive(lion, { test: it, options: { beta } }),
  );
});
