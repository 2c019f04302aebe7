import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isEvoptError } from '../errors.js';
import { createRegistries } from '../registry/registries.js';
import { checkApiVersion, registerPlugin } from './validate.js';
import type { EvoptPlugin } from './define.js';

const schedule = (id: string) => ({ id, meta: { summary: 'flat', params: {} }, multiplier: () => 1 });

describe('registerPlugin', () => {
  it('registers every contribution under its plugin', () => {
    const registries = createRegistries();
    registerPlugin(registries, { name: 'evopt-plugin-x', apiVersion: '1.0', schedules: [schedule('x/flat')] });
    expect(registries.schedules.lookup('x/flat').plugin).toBe('evopt-plugin-x');
  });

  it('requires a namespace from third-party plugins, and allows bare ids for @evopt/*', () => {
    expect(() =>
      registerPlugin(createRegistries(), { name: 'evopt-plugin-x', apiVersion: '1.0', schedules: [schedule('flat')] }),
    ).toThrow(/needs a namespace[\s\S]*Rename it "x\/flat"/);
    registerPlugin(createRegistries(), { name: '@evopt/plugin-y', apiVersion: '1.0', schedules: [schedule('flat')] });
  });

  it('rejects contributions without a summary, bad ids, and options without defaults', () => {
    const noSummary = {
      name: 'p',
      apiVersion: '1.0',
      schedules: [{ ...schedule('p/a'), meta: { summary: '', params: {} } }],
    };
    expect(() => registerPlugin(createRegistries(), noSummary)).toThrow(/schedule "p\/a" has no meta.summary/);
    expect(() =>
      registerPlugin(createRegistries(), { name: 'p', apiVersion: '1.0', schedules: [schedule('P/Bad Id')] }),
    ).toThrow(/invalid id "P\/Bad Id"/);
    const selection = {
      id: 'p/pick',
      meta: { summary: 's', options: z.object({ k: z.number() }) },
      create: () => ({ select: () => [] }),
    };
    expect(() =>
      registerPlugin(createRegistries(), { name: 'p', apiVersion: '1.0', selections: [selection] } as EvoptPlugin),
    ).toThrow(/without defaults/);
  });
});

describe('checkApiVersion', () => {
  it('accepts the same major with an older or equal minor', () => {
    checkApiVersion('p', '1.0', '1.2');
    checkApiVersion('p', '1.2', '1.2');
  });

  it('refuses another major, or a newer minor, naming the plugin and both versions', () => {
    for (const [plugin, core] of [
      ['2.0', '1.0'],
      ['0.9', '1.0'],
      ['1.3', '1.2'],
    ] as const) {
      try {
        checkApiVersion('evopt-plugin-lion', plugin, core);
        expect.unreachable();
      } catch (error) {
        expect(isEvoptError(error, 'PLUGIN_API_MISMATCH')).toBe(true);
        expect((error as Error).message).toContain(
          `Plugin "evopt-plugin-lion" targets plugin API ${plugin}, but this evopt implements plugin API ${core}`,
        );
      }
    }
    expect(() => checkApiVersion('p', 1)).toThrow(/apiVersion must be a "major.minor" string/);
  });
});
