import { beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineGenome, BASELINE_IDS, genomeHash, isEvoptError } from '@evopt/core';
import { resolveSubject } from './subjects.js';

let cwd: string;
let runsDir: string;
const RUN = '2026-01-02T03-04-05-abcd';

/** A run directory as evolve leaves it: config.json with its tasks, and best.json. */
function fakeRun(id: string, tasks: string[], best = true): string {
  const dir = join(runsDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      schema: 'evopt.run-config/1',
      config: { tasks: tasks.map((t) => ({ id: t, options: {} })) },
      baseDir: cwd,
    }),
  );
  if (best)
    writeFileSync(join(dir, 'best.json'), JSON.stringify({ hash: 'x', fitness: 0.9, genome: baselineGenome('adamw') }));
  return dir;
}

async function failure(reference: string): Promise<Error> {
  const error = await resolveSubject(reference, { cwd, runsDir }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected ${reference} to fail`);
  return error;
}

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'evopt-subjects-'));
  runsDir = join(cwd, '.evopt', 'runs');
  fakeRun(RUN, ['mnist-lite', 'fashion-mnist']);
  fakeRun('unfinished', ['mnist-lite'], false);
});

describe('resolveSubject', () => {
  it('knows a baseline by id', async () => {
    const adam = await resolveSubject('adam', { cwd, runsDir });
    expect(adam).toMatchObject({ label: 'adam', kind: 'baseline', hash: genomeHash(baselineGenome('adam')) });
    expect(adam.run).toBeUndefined();
  });

  it('takes a run (by id, directory or best.json) as its best genome, with the tasks its search used', async () => {
    for (const reference of [RUN, join(runsDir, RUN), join('.evopt', 'runs', RUN, 'best.json')]) {
      const subject = await resolveSubject(reference, { cwd, runsDir });
      expect(subject).toMatchObject({ label: RUN, kind: 'run', hash: genomeHash(baselineGenome('adamw')) });
      expect(subject.run).toMatchObject({ runId: RUN, tasks: ['mnist-lite', 'fashion-mnist'] });
    }
  });

  it('takes a genome file by path, labelled by its name, with no run', async () => {
    writeFileSync(join(cwd, 'mine.json'), JSON.stringify(baselineGenome('rmsprop')));
    const subject = await resolveSubject('mine.json', { cwd, runsDir });
    expect(subject).toMatchObject({ label: 'mine', kind: 'file', hash: genomeHash(baselineGenome('rmsprop')) });
    expect(subject.run).toBeUndefined();
  });

  it('names the file and the field when a genome file fails the schema', async () => {
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ ...baselineGenome('adam'), beta1: 1.5 }));
    const error = await failure('bad.json');
    expect(isEvoptError(error, 'GENOME_INVALID')).toBe(true);
    expect(error.message).toContain(join(cwd, 'bad.json'));
    expect(error.message).toMatch(/beta1: expected β1 in \[0, 1\)/);
  });

  it('says a run has no best genome yet instead of failing on a missing file', async () => {
    const error = await failure('unfinished');
    expect(isEvoptError(error, 'GENOME_INVALID')).toBe(true);
    expect(error.message).toMatch(/has no best\.json yet/);
  });

  it('lists the baselines and the runs when an id is unknown', async () => {
    const error = await failure('adma');
    expect(isEvoptError(error, 'REGISTRY_UNKNOWN')).toBe(true);
    for (const id of [...BASELINE_IDS, RUN, 'unfinished']) expect(error.message).toContain(id);
  });

  it('says there is no such file for a path that does not exist', async () => {
    const error = await failure('missing/genome.json');
    expect(isEvoptError(error, 'GENOME_INVALID')).toBe(true);
    expect(error.message).toMatch(/No genome file at .*missing\/genome\.json/);
  });
});
