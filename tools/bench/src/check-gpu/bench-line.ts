import type { CheckLine } from './protocol.js';

/** What the command saw of `bench:gpu --quick`: its exit, its output, whether it was killed. */
export interface BenchRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** The last `lines` lines of a process's output. */
export const tail = (text: string, lines = 6): string => text.trim().split('\n').slice(-lines).join('\n');

/** `bench:gpu --quick`: its rows for both models at P = 1 and 2 and the paper generation, with numbers. */
export function benchLine(result: BenchRun, seconds: string): CheckLine {
  const name = 'bench:gpu --quick prints its table';
  if (result.timedOut) return { type: 'check', name, ok: false, figures: 'timed out', detail: tail(result.stderr, 6) };
  const rows = [...result.stdout.matchAll(/^(SmallCNN|CIFAR CNN), batch 128, P = (\d+)\s+([\d.]+) steps\/s/gm)].map(
    ([, model, p, rate]) => ({ label: `${model === 'SmallCNN' ? 'SmallCNN' : 'CIFAR'} P=${p}`, rate: Number(rate) }),
  );
  const paper = /^paper preset, one generation of \d+ genomes.*?\s([\d,]+) evaluations\/h/m.exec(result.stdout)?.[1];
  const failedNote = /note: (paper generation failed.*)/.exec(result.stdout)?.[1];
  const problems = [
    ...(result.code !== 0 ? [`exit ${result.code}: ${tail(result.stderr, 3)}`] : []),
    ...(rows.length !== 4 ? [`${rows.length} of 4 model rows`] : []),
    ...rows.filter((r) => !(r.rate > 0)).map((r) => `${r.label}: no steps/s`),
    ...(paper === undefined ? [failedNote ?? 'no paper-preset row'] : []),
  ];
  const figures = `${rows.map((r) => `${r.label} ${r.rate.toFixed(2)}`).join(', ')} steps/s; paper ${paper ?? '–'} evaluations/h (${seconds})`;
  return {
    type: 'check',
    name,
    ok: problems.length === 0,
    figures,
    ...(problems.length ? { detail: problems.join('\n') } : {}),
  };
}
