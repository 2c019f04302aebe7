import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistries } from '../registry/registries.js';
import { loadPlugins, resolvePluginUrl } from './loader.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'evopt-loader-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const plugin = `export default { name: 'evopt-plugin-flat', apiVersion: '1.0', version: '2.3.4',
  schedules: [{ id: 'flat/one', meta: { summary: 'always 1', params: {} }, multiplier: () => 1 }] };`;

describe('loadPlugins', () => {
  it('loads a relative path, records version and entry hash, and registers contributions', async () => {
    const dir = dirWith({ 'flat.mjs': plugin });
    const registries = createRegistries();
    const [loaded] = await loadPlugins(['./flat.mjs'], dir, registries);
    expect(loaded).toMatchObject({ specifier: './flat.mjs', version: '2.3.4' });
    expect(loaded?.entryHash).toMatch(/^[0-9a-f]{16}$/);
    expect(registries.schedules.get('flat/one').multiplier(0, 1, {})).toBe(1);
  });

  it('loads the same file once even when named twice', async () => {
    const dir = dirWith({ 'flat.mjs': plugin });
    expect(await loadPlugins(['./flat.mjs', `${dir}/flat.mjs`], dir, createRegistries())).toHaveLength(1);
  });

  it('names a module that exports no plugin, and a package that is not installed', async () => {
    const dir = dirWith({ 'empty.mjs': 'export const x = 1;' });
    await expect(loadPlugins(['./empty.mjs'], dir, createRegistries())).rejects.toThrow(
      /Module "\.\/empty\.mjs" does not export a plugin/,
    );
    expect(() => resolvePluginUrl('evopt-plugin-not-installed', dir)).toThrow(
      /Cannot find plugin "evopt-plugin-not-installed"[\s\S]*npm install evopt-plugin-not-installed/,
    );
  });

  it('finds packages from a fallback directory when the project lacks them', () => {
    const dir = dirWith({});
    expect(() => resolvePluginUrl('zod', dir)).toThrow();
    expect(resolvePluginUrl('zod', dir, [process.cwd()])).toMatch(/^file:.*zod/);
  });
});
