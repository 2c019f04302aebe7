import { describe, expect, it } from 'vitest';
import { isEvoptError } from '../errors.js';
import { Registry } from './registry.js';

const item = (id: string) => ({ id });

describe('Registry', () => {
  it('names both plugins when an id is registered twice', () => {
    const registry = new Registry<{ id: string }>('primitive');
    registry.register(item('lion'), 'evopt-plugin-a');
    try {
      registry.register(item('lion'), 'evopt-plugin-b');
      expect.unreachable();
    } catch (error) {
      expect(isEvoptError(error, 'REGISTRY_DUPLICATE')).toBe(true);
      expect((error as Error).message).toContain(
        'Two plugins define the primitive "lion": "evopt-plugin-a" and "evopt-plugin-b"',
      );
    }
  });

  it('lists the known ids, sorted, for an unknown one', () => {
    const registry = new Registry<{ id: string }>('schedule');
    registry.register(item('warmup'), 'p');
    registry.register(item('constant'), 'p');
    expect(() => registry.get('cyclic')).toThrow('Unknown schedule "cyclic". Known schedules: constant, warmup.');
    expect(registry.lookup('warmup')).toEqual({ item: { id: 'warmup' }, plugin: 'p' });
  });

  it('refuses registration once frozen', () => {
    const registry = new Registry<{ id: string }>('task').freeze();
    expect(() => registry.register(item('mnist'), 'p')).toThrow(/registry is frozen/);
    expect(registry.isFrozen).toBe(true);
  });
});
