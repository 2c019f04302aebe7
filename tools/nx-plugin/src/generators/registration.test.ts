import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRIMITIVE_PLUGIN, SCHEDULE_PLUGIN, TASK_PLUGIN } from '../lib/kinds.js';

// How nx finds the generators: package.json "generators" → generators.json → a built factory
// (nx requires it, so it must be dist/, not TypeScript) and a schema.json per generator.
const PACKAGE = new URL('../../', import.meta.url);
const readJson = <T>(path: string) => JSON.parse(readFileSync(new URL(path, PACKAGE), 'utf8')) as T;

interface Schema {
  readonly properties: Record<string, { default?: unknown; $default?: unknown }>;
  readonly required: readonly string[];
}

describe('generators.json', () => {
  const pkg = readJson<{ generators: string; files: string[] }>('package.json');
  const collection = readJson<{ generators: Record<string, { factory: string; schema: string; description: string }> }>(
    pkg.generators,
  );

  it('lists the three generators, each with a built factory and a schema that ships in the package', () => {
    expect(Object.keys(collection.generators).sort()).toEqual(['primitive-plugin', 'schedule-plugin', 'task-plugin']);
    for (const [name, entry] of Object.entries(collection.generators)) {
      expect(entry.factory).toBe(`./dist/generators/${name}.js`);
      expect(existsSync(new URL(entry.factory, PACKAGE)), `${entry.factory} (run the build first)`).toBe(true);
      expect(pkg.files).toContain(entry.schema.split('/')[1]);
      expect(entry.description).not.toBe('');
    }
  });

  it.each([PRIMITIVE_PLUGIN, SCHEDULE_PLUGIN, TASK_PLUGIN])(
    "gives $generator a schema: name required (first argument), directory optional, the example's name defaulting as the code does",
    (kind) => {
      const schema = readJson<Schema>(collection.generators[kind.generator]?.schema ?? '');
      expect(schema.required).toEqual(['name']);
      expect(schema.properties['name']?.$default).toEqual({ $source: 'argv', index: 0 });
      expect(schema.properties['directory']).toBeDefined();
      expect(schema.properties[kind.nameOption]?.default).toBe(kind.defaultName);
    },
  );
});
