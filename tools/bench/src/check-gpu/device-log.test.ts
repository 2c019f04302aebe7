import { describe, expect, it } from 'vitest';
import { describeDevice, loggedDevices, type LoggedDevice } from './device-log.js';

// TensorFlow 2.9's start-up log on a two-GPU machine (gpu_device.cc: "Created device <name> with
// <MB> MB memory: " << " -> " << <description>), between other INFO lines.
const LOG = [
  '2026-12-08 10:00:01.000001: I tensorflow/core/platform/cpu_feature_guard.cc:193] This TensorFlow binary is optimized with oneAPI Deep Neural Network Library (oneDNN)',
  '2026-12-08 10:00:03.000002: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1532] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 78971 MB memory:  -> device: 0, name: NVIDIA H100 80GB HBM3, pci bus id: 0000:19:00.0, compute capability: 9.0',
  '2026-12-08 10:00:03.000003: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1532] Created device /job:localhost/replica:0/task:0/device:GPU:1 with 13598 MB memory:  -> device: 1, name: Tesla T4, pci bus id: 0000:3b:00.0, compute capability: 7.5',
].join('\n');

describe('loggedDevices', () => {
  it('reads each GPU TensorFlow created: its name, device, memory and compute capability', () => {
    expect(loggedDevices(LOG)).toEqual([
      { device: 'GPU:0', name: 'NVIDIA H100 80GB HBM3', memoryMb: 78971, computeCapability: '9.0' },
      { device: 'GPU:1', name: 'Tesla T4', memoryMb: 13598, computeCapability: '7.5' },
    ]);
    expect(describeDevice(loggedDevices(LOG)[0] as LoggedDevice)).toBe(
      'NVIDIA H100 80GB HBM3 (GPU:0, compute capability 9.0, 78,971 MB)',
    );
  });

  it('finds none in a log without a created GPU (TF_CPP_MIN_LOG_LEVEL above 0, or CPU only)', () => {
    expect(loggedDevices(LOG.split('\n')[0] as string)).toEqual([]);
    expect(loggedDevices('')).toEqual([]);
  });
});
