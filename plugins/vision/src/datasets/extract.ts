// Unpacking the CIFAR-10 archive. The batches are extracted into a temporary sibling directory
// and renamed into place with a marker file, so a crash mid-way never leaves a directory that
// looks complete: the batch directory exists only once everything in it has been written.
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extract } from 'tar';
import { EvoptError } from '@evopt/core';
import { CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH, CIFAR_TRAIN_BATCHES } from './catalog.js';
import { fileSize } from './verify.js';

/** Written into the batch directory last; names the archive the batches came from. */
export const EXTRACTED_MARKER = '.evopt-extracted.json';

const TEMP_PREFIX = `.${CIFAR_BATCH_DIRECTORY}.tmp-`;
const BATCH_FILES: readonly string[] = [...CIFAR_TRAIN_BATCHES, CIFAR_TEST_BATCH];

interface Marker {
  readonly archive: string;
  readonly sha256: string;
  readonly extractedAt: string;
}

async function readMarker(batchDir: string): Promise<Marker | null> {
  try {
    const marker = JSON.parse(await readFile(join(batchDir, EXTRACTED_MARKER), 'utf8')) as Partial<Marker> | null;
    return marker && typeof marker.sha256 === 'string' ? (marker as Marker) : null;
  } catch {
    return null;
  }
}

async function batchesPresent(batchDir: string): Promise<boolean> {
  const sizes = await Promise.all(BATCH_FILES.map((name) => fileSize(join(batchDir, name))));
  return sizes.every((size) => size !== null && size > 0);
}

/**
 * Whether `directory` holds the batches extracted from the archive with this SHA-256: the
 * marker names it and all six batch files are there.
 */
export async function cifarExtracted(directory: string, archiveSha256: string): Promise<boolean> {
  const batchDir = join(directory, CIFAR_BATCH_DIRECTORY);
  const marker = await readMarker(batchDir);
  return marker !== null && marker.sha256 === archiveSha256.toLowerCase() && (await batchesPresent(batchDir));
}

/**
 * Extracts `cifar-10-batches-bin/` from a verified archive into `directory`, unless it is there
 * already (see {@link cifarExtracted}). Returns what it did.
 *
 * @throws EvoptError DATA_CORRUPT when the archive cannot be read or lacks a batch file.
 */
export async function extractCifar(
  archive: string,
  directory: string,
  archiveSha256: string,
  archiveName: string,
): Promise<'extracted' | 'present'> {
  if (await cifarExtracted(directory, archiveSha256)) return 'present';
  await mkdir(directory, { recursive: true });
  // Leftovers of an extraction that crashed are never trusted.
  for (const entry of await readdir(directory)) {
    if (entry.startsWith(TEMP_PREFIX)) await rm(join(directory, entry), { recursive: true, force: true });
  }
  const temp = await mkdtemp(join(directory, TEMP_PREFIX));
  try {
    try {
      await extract({
        file: archive,
        cwd: temp,
        strict: true,
        filter: (path) => path === CIFAR_BATCH_DIRECTORY || path.startsWith(`${CIFAR_BATCH_DIRECTORY}/`),
      });
    } catch (error) {
      throw corrupt(archive, `cannot be extracted: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    const extracted = join(temp, CIFAR_BATCH_DIRECTORY);
    if (!(await batchesPresent(extracted))) {
      throw corrupt(archive, `does not hold ${CIFAR_BATCH_DIRECTORY}/ with ${BATCH_FILES.join(', ')}`);
    }
    const marker: Marker = {
      archive: archiveName,
      sha256: archiveSha256.toLowerCase(),
      extractedAt: new Date().toISOString(),
    };
    await writeFile(join(extracted, EXTRACTED_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    const target = join(directory, CIFAR_BATCH_DIRECTORY);
    await rm(target, { recursive: true, force: true });
    await rename(extracted, target);
    return 'extracted';
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

function corrupt(archive: string, problem: string, cause?: unknown): EvoptError {
  return new EvoptError('DATA_CORRUPT', `The CIFAR-10 archive ${archive} ${problem}.`, {
    fix: 'Delete the archive and run `evopt data fetch cifar10` again.',
    details: { archive },
    cause,
  });
}
