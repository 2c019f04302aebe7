import { describe, expect, it } from 'vitest';
import { EvoptError, wrapPluginError } from './errors.js';

describe('wrapPluginError', () => {
  it("reports an unexpected error as the plugin's bug, naming the plugin and what it was doing", () => {
    const wrapped = wrapPluginError(new TypeError('x is undefined'), 'my-plugin', 'task "t"', 'evaluating');
    expect(wrapped.code).toBe('PLUGIN_RUNTIME');
    expect(wrapped.message).toMatch(/^Plugin "my-plugin" failed in task "t" while evaluating: x is undefined/);
    expect(wrapped.fix).toMatch(/bug or a misconfiguration in "my-plugin"/);
  });

  it('keeps the code and the one fix of a deliberate error the user can act on, such as a missing dataset', () => {
    const missing = new EvoptError('DATA_MISSING', 'The mnist dataset is not in /data/mnist.', {
      fix: 'Run `evopt data fetch mnist`.',
      details: { dataset: 'mnist' },
    });
    const wrapped = wrapPluginError(missing, 'vision', 'task "mnist"', 'preparing the task');
    expect(wrapped.code).toBe('DATA_MISSING');
    expect(wrapped.fix).toBe('Run `evopt data fetch mnist`.');
    expect(wrapped.message.match(/fix:/g)).toHaveLength(1);
    expect(wrapped.message).toMatch(
      /^Plugin "vision" failed in task "mnist" while preparing the task: The mnist dataset is not in \/data\/mnist\./,
    );
    expect(wrapped.details).toMatchObject({ dataset: 'mnist', plugin: 'vision' });
  });
});
