// The dataset layer's public API (re-exported by the plugin's entry).
export * from './types.js';
export * from './catalog.js';
export { parseIdx, readIdxImages, readIdxLabels, type IdxArray, type IdxImages } from './idx.js';
export { readCifarBatches } from './cifar.js';
export { checkDatasetPresent, loadDataset } from './load.js';
export {
  fetchDataset,
  type FetchOptions,
  type FetchProgress,
  type FetchOutcome,
  type FetchedFile,
  type FetchResult,
} from './fetch.js';
export { datasetStatus, formatBytes, type DatasetStatus, type FileStatus, type FileState } from './status.js';
export { checkFile, sha256File, type FileCheck } from './verify.js';
export { cifarExtracted, extractCifar, EXTRACTED_MARKER } from './extract.js';
