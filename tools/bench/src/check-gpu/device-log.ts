/**
 * The GPUs TensorFlow says it created, read from its start-up log (stderr). tfjs-node's binding
 * only says whether it uses a GPU; libtensorflow names the card when it creates the device:
 *
 *   Created device /job:localhost/replica:0/task:0/device:GPU:0 with 78971 MB memory:  -> device: 0,
 *   name: NVIDIA H100 80GB HBM3, pci bus id: 0000:19:00.0, compute capability: 9.0
 *
 * (one line in the log; TF_CPP_MIN_LOG_LEVEL must be 0, its default, for it to be printed).
 */
const CREATED_DEVICE =
  /Created device \S*?(GPU:\d+) with (\d+) MB memory:?\s*->\s*device: \d+, name: ([^,]+), pci bus id: [^,]+, compute capability: ([\d.]+)/g;

export interface LoggedDevice {
  readonly device: string;
  readonly name: string;
  readonly memoryMb: number;
  readonly computeCapability: string;
}

export function loggedDevices(stderr: string): LoggedDevice[] {
  return [...stderr.matchAll(CREATED_DEVICE)].map(([, device, memory, name, computeCapability]) => ({
    device: device as string,
    name: (name as string).trim(),
    memoryMb: Number(memory),
    computeCapability: computeCapability as string,
  }));
}

/** "NVIDIA H100 80GB HBM3 (GPU:0, compute capability 9.0, 78,971 MB)". */
export function describeDevice(device: LoggedDevice): string {
  return `${device.name} (${device.device}, compute capability ${device.computeCapability}, ${device.memoryMb.toLocaleString('en-US')} MB)`;
}
