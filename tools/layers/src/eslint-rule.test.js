// @ts-check
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import { layersRule } from './eslint-rule.js';

// A small workspace on disk, so the rule reads real manifests as it does in this repo.
const root = mkdtempSync(join(tmpdir(), 'evopt-layers-rule-'));
for (const [folder, name, scope] of [
  ['packages/core', '@x/core', 'scope:core'],
  ['packages/tfjs', '@x/tfjs', 'scope:tfjs'],
  ['packages/kit', '@x/kit', 'scope:testing'],
  ['plugins/vision', '@x/vision', 'scope:plugin'],
  ['apps/cli', 'cli', 'scope:app'],
]) {
  mkdirSync(join(root, folder), { recursive: true });
  writeFileSync(join(root, folder, 'package.json'), JSON.stringify({ name, nx: { tags: [scope] } }));
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { ecmaVersion: 2023, sourceType: 'module' } });
const options = [{ root }];
const at = (/** @type {string} */ path) => join(root, path);

tester.run('evopt/layers', layersRule, {
  valid: [
    { code: "import { x } from '@x/core';", filename: at('plugins/vision/src/a.ts'), options },
    { code: "import { x } from '@x/tfjs'; export * from './b.js';", filename: at('plugins/vision/src/a.ts'), options },
    { code: "import { testTask } from '@x/kit';", filename: at('plugins/vision/src/a.test.ts'), options },
    {
      code: "import { x } from '@x/vision'; import { y } from '@x/kit/sub';",
      filename: at('apps/cli/src/e2e/run.ts'),
      options,
    },
    {
      code: "import z from 'zod'; import { a } from '../util.js';",
      filename: at('packages/core/src/engine/a.ts'),
      options,
    },
  ],
  invalid: [
    {
      code: "import { tensorOps } from '@x/tfjs';",
      filename: at('packages/core/src/a.ts'),
      options,
      errors: [{ messageId: 'layer' }],
    },
    {
      code: "export { testTask } from '@x/kit';",
      filename: at('plugins/vision/src/index.ts'),
      options,
      errors: [{ messageId: 'layer' }],
    },
    {
      code: "export * from '@x/kit/sub';",
      filename: at('apps/cli/src/main.ts'),
      options,
      errors: [{ messageId: 'layer' }],
    },
    {
      code: "const m = import('@x/vision');",
      filename: at('packages/tfjs/src/a.ts'),
      options,
      errors: [{ messageId: 'layer' }],
    },
    {
      code: "import { x } from '../../../plugins/vision/src/x.js';",
      filename: at('apps/cli/src/a.ts'),
      options,
      errors: [{ messageId: 'relative' }],
    },
  ],
});
