import { describe, expect, it } from 'vitest';
import { EvoptError, type EvoptErrorCode } from '@evopt/core';
import { ciExitCode, ciUsageExitCode } from './exit.js';

describe('ci exit statuses', () => {
  it.each<[EvoptErrorCode, number]>([
    ['CONFIG_INVALID', 2],
    ['CONFIG_NOT_FOUND', 2],
    ['GENOME_INVALID', 2],
    ['REGISTRY_UNKNOWN', 2],
    ['REGISTRY_DUPLICATE', 2],
    ['EVALUATION_FAILED', 3],
    ['WORKER_CRASHED', 3],
    ['DATA_MISSING', 3],
    ['DATA_CORRUPT', 3],
    ['PLUGIN_LOAD_FAILED', 3],
    ['PLUGIN_RUNTIME', 3],
    ['RUN_LOCKED', 3],
    ['INTERNAL', 3],
    ['ABORTED', 130],
  ])('%s exits %i', (code, status) => {
    expect(ciExitCode(new EvoptError(code, 'x'))).toBe(status);
  });

  it('treats anything else thrown as an infrastructure error, never as a regression', () => {
    expect(ciExitCode(new Error('EACCES'))).toBe(3);
    expect(ciExitCode('boom')).toBe(3);
  });

  it('turns commander usage errors into 2 and keeps help at 0', () => {
    expect(ciUsageExitCode(1)).toBe(2);
    expect(ciUsageExitCode(0)).toBe(0);
  });
});
