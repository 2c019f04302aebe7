import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvoptError, writeCheckpoint } from '@evopt/core';
import { describe, expect, it } from 'vitest';
import { loadReportData } from './load.js';
import { finishedEvents, GENOMES, scored } from './__fixtures__/synthetic-run.js';

function runDir(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'evopt-report-')), 'run-1');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const journal = (lines: readonly string[]) => `${lines.join('\n')}\n`;
const savedConfig = {
  schema: 'evopt.run-config/1',
  evoptVersion: '9.9.9',
  createdAt: '',
  configFile: null,
  baseDir: '/x',
  config: { seed: 1 },
  plugins: [{ name: '@evopt/plugin-primitives', version: '1.2.3' }],
};

describe('loadReportData', () => {
  it('reads the journal, config and best.json, skipping corrupt lines', () => {
    const lines = finishedEvents().map((e) => JSON.stringify(e));
    lines.splice(5, 0, '{"type":"evaluation-finished","rec');
    const dir = runDir({
      'events.jsonl': journal(lines),
      'config.json': JSON.stringify(savedConfig),
      'best.json': JSON.stringify({ runId: 'synthetic', generation: 1, ...scored(GENOMES.three, 0.95) }),
    });
    const data = loadReportData(dir, new Date('2026-02-03T04:05:06Z'));
    expect(data.events).toHaveLength(lines.length - 1);
    expect(data.skippedLines.map((p) => p.line)).toEqual([6]);
    expect(data.config?.evoptVersion).toBe('9.9.9');
    expect(data.best?.hash).toBe('h-three');
    expect(data.status).toBe('finished');
    expect(data.runId).toBe('synthetic');
    expect(data.generatedAt).toBe('2026-02-03T04:05:06.000Z');
    expect(data.problems).toEqual([]);
  });

  it('uses a sound checkpoint, and reports a damaged one without moving it aside', () => {
    const sound = runDir({ 'events.jsonl': '' });
    writeCheckpoint(join(sound, 'checkpoint.json'), { engine: {}, best: null, history: [], baselines: { adam: 0.65 } });
    expect(loadReportData(sound).checkpoint?.baselines).toEqual({ adam: 0.65 });

    const damaged = runDir({
      'events.jsonl': '',
      'checkpoint.json': '{"schema":"evopt.checkpoint/1","savedAt":"","sha256":"00","state":{"history":[]}}',
    });
    const data = loadReportData(damaged);
    expect(data.checkpoint).toBeNull();
    expect(data.problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/checkpoint\.json was not used: checksum mismatch/)]),
    );
    expect(readdirSync(damaged).sort()).toEqual(['checkpoint.json', 'events.jsonl']);
  });

  it('notes a missing or foreign config.json and carries on', () => {
    const data = loadReportData(
      runDir({ 'events.jsonl': journal(finishedEvents().map((e) => JSON.stringify(e))), 'config.json': '{"hello":1}' }),
    );
    expect(data.config).toBeNull();
    expect(data.problems).toEqual([expect.stringMatching(/config\.json could not be used/)]);
  });

  it('fails with RUN_NOT_FOUND for a missing directory or one that holds no run', () => {
    for (const dir of [join(tmpdir(), 'evopt-no-such-run-dir'), runDir({ 'notes.txt': 'hi' })]) {
      let error: unknown;
      try {
        loadReportData(dir);
      } catch (e) {
        error = e;
      }
      expect(isEvoptError(error, 'RUN_NOT_FOUND')).toBe(true);
      expect((error as Error).message).toContain(dir);
    }
  });
});
