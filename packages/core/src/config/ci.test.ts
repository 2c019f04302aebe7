import { describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptError } from '../errors.js';
import { resolveConfig } from './resolve.js';
import { CI_DEFAULTS } from './schema.js';

const file = (content: unknown) =>
  resolveConfig({
    baseDir: '/project',
    cwd: '/project',
    env: {},
    file: content,
    filepath: '/project/evopt.config.ts',
    source: 'evopt.config.ts',
  });

function failure(content: unknown): EvoptError {
  try {
    file(content);
  } catch (error) {
    if (isEvoptError(error)) return error;
    throw error;
  }
  throw new Error('expected an EvoptError');
}

describe('the ci block', () => {
  it('is absent unless the config has one, so other commands see the same config as before', () => {
    const config = file({ preset: 'smoke' });
    expect(config.ci).toBeUndefined();
    expect(Object.keys(config)).not.toContain('ci');
  });

  it('fills baseline, seeds, tolerance, alpha and record, and leaves tasks and steps to fall back at run time', () => {
    const config = file({ preset: 'smoke', ci: { genomes: ['paper-evolved', './genomes/mine.json'] } });
    expect(config.ci).toEqual({
      genomes: ['paper-evolved', './genomes/mine.json'],
      baseline: 'adam',
      seeds: 5,
      tolerance: 0.02,
      alpha: 0.05,
      record: 'evopt-ci-record.json',
    });
    expect(config.ci).toMatchObject(CI_DEFAULTS);
  });

  it('keeps what the file sets, with tasks as ids or { id, options }', () => {
    const ci = {
      genomes: ['a.json'],
      baseline: 'rmsprop',
      tasks: ['mnist-lite', { id: 'testing/quadratic', options: { dims: 4 } }],
      steps: 30,
      seeds: 3,
      tolerance: 0,
      alpha: 0.01,
      record: 'ci/record.json',
    };
    expect(file({ preset: 'smoke', ci }).ci).toEqual(ci);
  });

  it('needs at least one genome, and names the key', () => {
    expect(failure({ ci: {} }).message).toMatch(
      /^evopt\.config\.ts: ci\.genomes: expected a non-empty array of genome ids or genome files, found nothing/,
    );
    expect(failure({ ci: { genomes: [] } }).message).toContain(
      'ci.genomes: expected at least 1 item(s), found an array of 0',
    );
  });

  it('suggests the key a misspelt one means, inside the block and one level too high', () => {
    const error = failure({ ci: { genomes: ['adam'], tolerence: 0.1 } });
    expect(error.details['issues']).toEqual([
      { path: 'ci.tolerence', problem: 'unknown key; did you mean ci.tolerance?', suggestion: 'ci.tolerance' },
    ]);
    expect(failure({ genomes: ['adam'] }).message).toContain('genomes: unknown key; did you mean ci.genomes?');
  });

  it('refuses values a regression test cannot use, saying what it expected', () => {
    const error = failure({ ci: { genomes: ['adam'], seeds: 1, tolerance: -0.1, alpha: 1, steps: 0 } });
    expect(error.message).toContain('has 4 problems');
    expect(error.message).toContain('  - ci.seeds: expected integer ≥ 2, found number 1');
    expect(error.message).toContain('  - ci.tolerance: expected number ≥ 0 (fitness units), found number -0.1');
    expect(error.message).toContain('  - ci.alpha: expected number in (0, 1), found number 1');
    expect(error.message).toContain('  - ci.steps: expected integer ≥ 1, found number 0');
  });

  it('reports a genome or a task listed twice at its second place', () => {
    expect(failure({ ci: { genomes: ['adam', 'x.json', 'adam'] } }).message).toContain(
      'ci.genomes[2]: expected each genome listed once, found string "adam"',
    );
    expect(failure({ ci: { genomes: ['x.json'], tasks: ['mnist-lite', { id: 'mnist-lite' }] } }).message).toContain(
      'ci.tasks[1]: expected each task listed once',
    );
  });

  it('explains a bad task entry by its shape', () => {
    const error = failure({
      ci: { genomes: ['x.json'], tasks: [42, 'Not An Id', { id: 'mnist-lite', optionz: {} }, { id: 'BAD' }] },
    });
    expect(error.message).toContain(
      'ci.tasks[0]: expected a task id such as "mnist-lite", or { id, options }, found number 42',
    );
    expect(error.message).toContain(
      'ci.tasks[1]: expected a task id such as "mnist-lite", or { id, options }, found string "Not An Id"',
    );
    expect(error.message).toContain(
      'ci.tasks[2].optionz: expected no key "optionz" (unknown; did you mean "options"?)',
    );
    expect(error.message).toContain(
      'ci.tasks[3].id: expected a task id such as "mnist-lite" or "my-plugin/my-task", found string "BAD"',
    );
  });
});
