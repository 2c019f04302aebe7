import { describe, it } from 'vitest';
import { createRegistries, registerPlugin } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import { testPrimitiveTensors } from './index.js';

// evopt's own primitives through the optimizer's tensor ops: shapes, [P,1] constants, no leaks.
// Their plain-number conformance runs in @evopt/plugin-primitives; this half lives here because
// it needs @evopt/tfjs, whose tests in turn use those primitives.
const registries = createRegistries();
registerPlugin(registries, primitives);

describe('@evopt/plugin-primitives on TensorFlow.js tensors', () => {
  for (const { item } of registries.primitives.all()) {
    describe(`primitive "${item.id}"`, () => testPrimitiveTensors(item, { test: it }));
  }
});
