import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEvoptError } from '@evopt/core';
import { evaluateChecks } from './checks.js';
import { buildRecord, readRecord, recordMismatches, recordProblem, writeRecord } from './record.js';
import { ADAM, plan, record, source, subject } from './__fixtures__/synthetic.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'evopt-ci-record-'));

describe('the record file', () => {
  it('is absent until written, then reads back as written', () => {
    const path = join(scratch(), 'nested', 'record.json');
    expect(readRecord(path)).toBeNull();
    const rec = record({ mine: { hash: 'h', fitness: 0.75, perTask: { 'testing/quadratic': 0.75 } } });
    writeRecord(path, rec);
    expect(readRecord(path)).toEqual(rec);
    expect(readFileSync(path, 'utf8').endsWith('}\n')).toBe(true);
  });

  it('is built from the guarded genomes with the settings they were measured under', () => {
    const p = plan([subject('mine'), subject('other')], {
      steps: 40,
      seeds: 3,
      seed: 9,
      taskOptions: { 'testing/quadratic': { dims: 4 } },
    });
    const scores = {
      'adam-hash': { 'testing/quadratic': ADAM.slice(0, 3) },
      'mine-hash': { 'testing/quadratic': [0.5, 0.6, 0.7] },
      'other-hash': { 'testing/quadratic': [0.1, 0.2, 0.3] },
    };
    const { genomes } = evaluateChecks(source(scores), p, null);
    const rec = buildRecord(p, genomes, { updatedAt: '2025-02-03T04:05:06.000Z', evoptVersion: '9.9.9' });
    expect(rec).toMatchObject({
      schema: 'evopt.ci-record/1',
      updatedAt: '2025-02-03T04:05:06.000Z',
      evoptVersion: '9.9.9',
      steps: 40,
      seeds: 3,
      seed: 9,
      tasks: [{ id: 'testing/quadratic', options: { dims: 4 } }],
    });
    expect(Object.keys(rec.entries)).toEqual(['mine', 'other']);
    expect(rec.entries['mine']?.hash).toBe('mine-hash');
    expect(rec.entries['mine']?.fitness).toBeCloseTo(0.6, 12);
    expect(recordMismatches(rec, p)).toEqual([]);
    // A record checks clean against the run it came from.
    const checks = evaluateChecks(source(scores), p, rec).checks.filter((c) => c.kind === 'record');
    expect(checks.map((c) => [c.genome, c.status])).toEqual([
      ['mine', 'pass'],
      ['other', 'pass'],
    ]);
  });

  it('lists every setting that differs', () => {
    const mismatches = recordMismatches(record({}, { steps: 1, seeds: 2 }), plan([]));
    expect(mismatches).toEqual(['steps 1 (the config has 100)', 'seeds 2 (the config has 5)']);
  });

  it('refuses a malformed file as a config error naming the path and the problem', () => {
    const dir = scratch();
    const cases: [string, RegExp][] = [
      ['{ "schema": ', /is not a valid evopt\.ci-record\/1 file: .*JSON/],
      [
        JSON.stringify({ ...record({}), schema: 'evopt.ci-record/0' }),
        /expected "schema": "evopt\.ci-record\/1", found "evopt\.ci-record\/0"/,
      ],
      [JSON.stringify({ ...record({}), steps: 'many' }), /expected a whole number at steps/],
      [
        JSON.stringify(record({ mine: { hash: 'h', fitness: 'high', perTask: {} } as never })),
        /expected \{ hash, fitness, perTask \} at entries\["mine"\]/,
      ],
    ];
    for (const [text, message] of cases) {
      const path = join(dir, 'record.json');
      writeFileSync(path, text);
      try {
        readRecord(path);
        expect.unreachable(`accepted ${text}`);
      } catch (error) {
        if (!isEvoptError(error)) throw error;
        expect(error.code).toBe('CONFIG_INVALID');
        expect(error.message).toContain(path);
        expect(error.message).toMatch(message);
        expect(error.fix).toMatch(/--update-baseline/);
      }
    }
  });

  it('accepts exactly the shape it writes', () => {
    expect(recordProblem(record({ a: { hash: 'h', fitness: 0.5, perTask: {} } }))).toBeUndefined();
    expect(recordProblem([])).toBe('expected a JSON object');
    expect(recordProblem({ ...record({}), tasks: [{ id: 'x' }] })).toBe('expected { id, options } at tasks[0]');
  });
});
