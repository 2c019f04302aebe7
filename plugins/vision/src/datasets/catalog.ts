import type { DatasetId, DatasetSpec } from './types.js';

// SHA-256 sums of the files as their authors publish them. torchvision, TensorFlow Datasets and
// the Fashion-MNIST repository list the same sums; a mirror that serves anything else is refused.

/** MNIST (LeCun, Cortes and Burges): four gzipped IDX files. yann.lecun.com no longer serves them. */
const MNIST: DatasetSpec = {
  id: 'mnist',
  title: 'MNIST handwritten digits',
  mirrors: ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'https://storage.googleapis.com/cvdf-datasets/mnist/'],
  directory: 'mnist',
  files: [
    {
      name: 'train-images-idx3-ubyte.gz',
      bytes: 9_912_422,
      sha256: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    },
    {
      name: 'train-labels-idx1-ubyte.gz',
      bytes: 28_881,
      sha256: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
    },
    {
      name: 't10k-images-idx3-ubyte.gz',
      bytes: 1_648_877,
      sha256: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
    },
    {
      name: 't10k-labels-idx1-ubyte.gz',
      bytes: 4_542,
      sha256: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
    },
  ],
};

/** Fashion-MNIST (Zalando Research): MNIST's format and sizes, clothing instead of digits. */
const FASHION_MNIST: DatasetSpec = {
  id: 'fashion-mnist',
  title: 'Fashion-MNIST',
  mirrors: [
    'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
    'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
  ],
  directory: 'fashion-mnist',
  files: [
    {
      name: 'train-images-idx3-ubyte.gz',
      bytes: 26_421_880,
      sha256: '3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84',
    },
    {
      name: 'train-labels-idx1-ubyte.gz',
      bytes: 29_515,
      sha256: 'a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845',
    },
    {
      name: 't10k-images-idx3-ubyte.gz',
      bytes: 4_422_102,
      sha256: '346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073',
    },
    {
      name: 't10k-labels-idx1-ubyte.gz',
      bytes: 5_148,
      sha256: '67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5',
    },
  ],
};

/** CIFAR-10 (Krizhevsky), binary version: one archive, extracted after it verifies. */
const CIFAR10: DatasetSpec = {
  id: 'cifar10',
  title: 'CIFAR-10 (binary version)',
  mirrors: ['https://www.cs.toronto.edu/~kriz/'],
  directory: 'cifar10',
  files: [
    {
      name: 'cifar-10-binary.tar.gz',
      bytes: 170_052_171,
      sha256: 'c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd',
    },
  ],
};

/** Every dataset evopt knows, by id. */
export const DATASETS: Readonly<Record<DatasetId, DatasetSpec>> = {
  mnist: MNIST,
  'fashion-mnist': FASHION_MNIST,
  cifar10: CIFAR10,
};

/** The IDX files of MNIST and Fashion-MNIST, by split. */
export const IDX_FILES = {
  train: { images: 'train-images-idx3-ubyte.gz', labels: 'train-labels-idx1-ubyte.gz' },
  test: { images: 't10k-images-idx3-ubyte.gz', labels: 't10k-labels-idx1-ubyte.gz' },
} as const;

/** Where the CIFAR-10 archive's batches are extracted to, inside the dataset's directory. */
export const CIFAR_BATCH_DIRECTORY = 'cifar-10-batches-bin';
export const CIFAR_TRAIN_BATCHES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;
export const CIFAR_TEST_BATCH = 'test_batch.bin';
/** One CIFAR-10 record: a label byte, then 3 × 32 × 32 pixel bytes, red plane first (CHW). */
export const CIFAR_RECORD_BYTES = 1 + 3 * 32 * 32;

export const CLASS_NAMES: Readonly<Record<DatasetId, readonly string[]>> = {
  mnist: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  'fashion-mnist': [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
  cifar10: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
};

/** The command that fixes a missing or corrupt dataset, for error messages. */
export function fetchCommand(id: DatasetId): string {
  return `evopt data fetch ${id}`;
}
