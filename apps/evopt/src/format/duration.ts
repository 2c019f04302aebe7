const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A duration as every screen and file of evopt prints it: compact, at most six columns, so it
 * fits a TUI column as well as a sentence. 850 ms → "850ms", 4.4 s → "4.4s", 42 s → "42s",
 * 75 s → "1m15s", 3725 s → "1h02m", 50 h → "2d02h". Larger units cut (not round) the smaller
 * one, so "1h59m" never reads as "2h". Negative is 0; not finite (unknown) is "—".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const t = Math.max(0, ms);
  if (t < 999.5) return `${Math.round(t)}ms`;
  if (t < 9_950) return `${(t / 1000).toFixed(1)}s`;
  const s = Math.round(t / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${pad2(s % 60)}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${pad2(m % 60)}m`;
  return `${Math.floor(h / 24)}d${pad2(h % 24)}h`;
}
