import { defaultLoaders, type Loader } from 'cosmiconfig';
import type ts from 'typescript';

/**
 * Loaders evopt hands to cosmiconfig in place of some defaults. Each failure is an Error whose
 * message starts "<Kind> Error in <file>:\n", the shape cosmiconfig's own loaders use, so that
 * load.ts reports all parse failures alike.
 */

/** "line 3, column 7" for a 0-based offset into `text`. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}

/**
 * JSON.parse's message with the position as "(line 3, column 1)", the same on every Node version:
 * Node 20 ends at "at position 26", newer ones (Node 24) add their own " (line 3 column 1)", which
 * is dropped here so that the line and column come from one place.
 */
export function describeJsonError(message: string, content: string): string {
  return message.replace(
    / at position (\d+)(?: \(line \d+ column \d+\))?/,
    (_, position: string) => ` at position ${position} (${lineAndColumn(content, Number(position))})`,
  );
}

/**
 * JSON, with the error's position as line and column. cosmiconfig's JSON loader repeats its
 * code frame in the message and may colour it; a config error should read cleanly in a log.
 */
export const loadJson: Loader = (filepath, content) => {
  try {
    return JSON.parse(content) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`JSON Error in ${filepath}:\n${describeJsonError(message, content)}`, { cause: error });
  }
};

/**
 * YAML, where a document holding only comments is an empty config rather than no config:
 * cosmiconfig would skip such a file and silently fall back to the preset.
 */
export const loadYaml: Loader = async (filepath, content) => {
  const load = defaultLoaders['.yaml'];
  if (!load) throw new Error(`YAML Error in ${filepath}:\ncosmiconfig has no YAML loader`);
  return ((await load(filepath, content)) as unknown) ?? {};
};

async function importTypeScript(filepath: string): Promise<typeof ts> {
  try {
    return (await import('typescript')).default;
  } catch (error) {
    throw new Error(
      `TypeScript Error in ${filepath}:\nloading a .ts config needs the "typescript" package (npm install -D typescript)`,
      { cause: error },
    );
  }
}

/**
 * TypeScript (.ts and .mts), refusing syntax errors first. cosmiconfig transpiles without
 * checking, so a half-written config would load as whatever the transpiler salvaged from it.
 * Only syntax is checked: type errors are the editor's business, not the loader's.
 */
export const loadTypeScript: Loader = async (filepath, content) => {
  const typescript = await importTypeScript(filepath);
  const output = typescript.transpileModule(content, {
    fileName: filepath,
    reportDiagnostics: true,
    compilerOptions: { module: typescript.ModuleKind.ESNext, target: typescript.ScriptTarget.ES2022 },
  });
  const problems = (output.diagnostics ?? []).map((diagnostic) => {
    const text = typescript.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    return diagnostic.start === undefined ? text : `${text} (${lineAndColumn(content, diagnostic.start)})`;
  });
  if (problems.length > 0) throw new Error(`TypeScript Error in ${filepath}:\n${problems.join('\n')}`);
  const load = defaultLoaders['.ts'];
  if (!load) throw new Error(`TypeScript Error in ${filepath}:\ncosmiconfig has no TypeScript loader`);
  return (await load(filepath, content)) as unknown;
};
