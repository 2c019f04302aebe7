import { describe, expect, it } from 'vitest';
import { isEvoptError } from '../errors.js';
import { baselineGenome, BASELINE_IDS, loadGenome } from './baselines.js';
import { parseGenome } from './schema.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('parseGenome', () => {
  it('accepts every baseline genome', () => {
    for (const id of BASELINE_IDS) expect(parseGenome(baselineGenome(id)).schema).toBe('evopt.genome/1');
  });

  it('reports the JSON path, what was expected and what was found', () => {
    const bad = { ...baselineGenome('adam'), lr: 'fast', terms: [{ primitive: 'adam', alpha: '1' }] };
    try {
      parseGenome(bad, 'my-genome.json');
      expect.unreachable();
    } catch (error) {
      expect(isEvoptError(error, 'GENOME_INVALID')).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('my-genome.json');
      expect(message).toMatch(/terms\[0\]\.alpha: expected number, found string "1"/);
      expect(message).toMatch(/lr: expected number, found string "fast"/);
    }
  });

  it('names unknown keys and missing ones', () => {
    const { beta1: _dropped, ...rest } = baselineGenome('adam');
    const attempt = () => parseGenome({ ...rest, betta1: 0.9 });
    expect(attempt).toThrow(/\(root\): unknown key\(s\) "betta1"/);
    expect(attempt).toThrow(/beta1: expected number, found nothing/);
  });

  it('rejects out-of-domain hyperparameters', () => {
    expect(() => parseGenome({ ...baselineGenome('adam'), beta2: 1 })).toThrow(/beta2/);
    expect(() => parseGenome({ ...baselineGenome('adam'), terms: [] })).toThrow(/terms: expected at least 1/);
  });
});

describe('baselines', () => {
  it('loads the paper baselines by id with their settings', () => {
    const sgd = baselineGenome('sgd-momentum');
    expect(sgd).toMatchObject({
      lr: 1e-2,
      beta1: 0.9,
      useV: false,
      biasCorrection: false,
      terms: [{ primitive: 'momentum', alpha: 1 }],
    });
    expect(baselineGenome('adamw').weightDecay).toBe(1e-2);
    expect(baselineGenome('rmsprop')).toMatchObject({ useM: false, beta2: 0.99, terms: [{ primitive: 'rms' }] });
    expect(baselineGenome('paper-evolved').schedule).toEqual({ id: 'warmup-cosine', params: { warmupSteps: 100 } });
  });

  it('lists the known ids for an unknown one', () => {
    expect(() => baselineGenome('adagrad')).toThrow(
      /Unknown baseline genome "adagrad". Known baselines: sgd-momentum, adam, adamw, rmsprop, paper-evolved/,
    );
  });

  it('returns copies, so callers cannot corrupt the table', () => {
    baselineGenome('adam').terms.push({ primitive: 'sign', alpha: 1 });
    expect(baselineGenome('adam').terms).toHaveLength(1);
  });

  it('loads genome files, including best.json-style wrappers, and names a malformed file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evopt-genome-'));
    await writeFile(join(dir, 'g.json'), JSON.stringify({ genome: baselineGenome('adam') }));
    expect((await loadGenome('g.json', dir)).lr).toBe(1e-3);
    await writeFile(join(dir, 'bad.json'), '{"schema": ');
    await expect(loadGenome('bad.json', dir)).rejects.toThrow(/bad\.json is not valid JSON/);
  });
});
