import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EvoptError } from '@evopt/core';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { CiReport } from './report.js';
import { renderTable } from './table.js';

/** Where `evopt ci` writes its report besides the table: paths relative to the working directory. */
export interface CiOutputOptions {
  readonly junit?: string;
  readonly summary?: string;
  /** A file, or '-' for stdout (the table then goes to stderr). */
  readonly json?: string;
  /** $GITHUB_STEP_SUMMARY: the Markdown summary is appended to it. */
  readonly githubStepSummary?: string;
}

function cannotWrite(what: string, path: string, error: unknown): EvoptError {
  const reason = error instanceof Error ? error.message : String(error);
  return new EvoptError('INTERNAL', `Cannot write the ${what} to ${path}: ${reason}`, {
    fix: `Check that ${dirname(path)} exists or can be created and is writable, or pass another path.`,
    details: { kind: 'output', what, path, reason },
    cause: error,
  });
}

function files(
  options: CiOutputOptions,
  cwd: string,
): { what: string; path: string; render: (r: CiReport) => string; append?: boolean }[] {
  return [
    ...(options.junit !== undefined
      ? [{ what: 'JUnit report', path: resolve(cwd, options.junit), render: renderJunit }]
      : []),
    ...(options.summary !== undefined
      ? [{ what: 'Markdown summary', path: resolve(cwd, options.summary), render: renderMarkdown }]
      : []),
    ...(options.json !== undefined && options.json !== '-'
      ? [{ what: 'JSON report', path: resolve(cwd, options.json), render: renderJson }]
      : []),
    ...(options.githubStepSummary
      ? [
          {
            what: 'GitHub step summary ($GITHUB_STEP_SUMMARY)',
            path: resolve(cwd, options.githubStepSummary),
            render: renderMarkdown,
            append: true,
          },
        ]
      : []),
  ];
}

/** Creates the outputs' directories before any evaluation runs, so an unwritable path fails in seconds, not after the run. */
export function prepareOutputs(options: CiOutputOptions, cwd: string): void {
  for (const file of files(options, cwd)) {
    try {
      mkdirSync(dirname(file.path), { recursive: true });
    } catch (error) {
      throw cannotWrite(file.what, file.path, error);
    }
  }
}

/** Writes every requested output, then the table (stdout, or stderr when JSON goes to stdout). */
export function writeOutputs(
  report: CiReport,
  options: CiOutputOptions,
  io: { cwd: string; print: (text: string) => void; log: (text: string) => void },
): void {
  for (const file of files(options, io.cwd)) {
    try {
      mkdirSync(dirname(file.path), { recursive: true });
      if (file.append) appendFileSync(file.path, `${file.render(report)}\n`);
      else writeFileSync(file.path, file.render(report));
    } catch (error) {
      throw cannotWrite(file.what, file.path, error);
    }
  }
  const table = renderTable(report);
  if (options.json === '-') {
    io.print(renderJson(report).trimEnd());
    io.log(table);
  } else {
    io.print(table);
  }
}
