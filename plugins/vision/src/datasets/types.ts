// The dataset layer of @evopt/plugin-vision: what a task gets from disk, and what `evopt data`
// fetches. Readers (idx.ts, cifar.ts), the loader (load.ts) and the fetcher (fetch.ts) implement it.

/** The datasets evopt can fetch and train on. */
export type DatasetId = 'mnist' | 'fashion-mnist' | 'cifar10';
export const DATASET_IDS: readonly DatasetId[] = ['mnist', 'fashion-mnist', 'cifar10'];

/**
 * The images of one split as stored on disk: bytes 0–255 in NHWC row-major order
 * (count × height × width × channels), with one class label per image. Kept as bytes (a quarter
 * of float32's memory); tasks normalise a batch at a time.
 */
export interface ImageSet {
  readonly images: Uint8Array;
  /** Class of each image, 0 … classes − 1. */
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** A dataset's official splits, checked. Search carves its validation split out of `train`. */
export interface Dataset {
  readonly id: DatasetId;
  readonly train: ImageSet;
  readonly test: ImageSet;
  /** Class names, index = label. */
  readonly classes: readonly string[];
}

/** One file a dataset is downloaded as, pinned by its SHA-256. */
export interface DatasetFile {
  /** File name, both on the mirror and in the dataset's directory. */
  readonly name: string;
  readonly sha256: string;
  /** Size in bytes of the published file: for progress and for `data list`. */
  readonly bytes: number;
}

/** Where a dataset comes from and where it lives under the data dir. */
export interface DatasetSpec {
  readonly id: DatasetId;
  readonly title: string;
  /** Base URLs of the canonical public mirrors, tried in order; each ends with '/'. */
  readonly mirrors: readonly string[];
  readonly files: readonly DatasetFile[];
  /** Sub-directory of the data dir holding the files (and, for CIFAR-10, the extracted batches). */
  readonly directory: string;
}
