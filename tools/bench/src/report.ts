/** Collects figures for `npm run bench`: printed as lines, or as one JSON object with --json. */
export class Report {
  readonly figures: Record<string, unknown> = {};

  constructor(private readonly json: boolean) {}

  /** Records `key` and, unless printing JSON, prints `label  text`. */
  add(key: string, value: unknown, label: string, text: string): void {
    this.figures[key] = value;
    if (!this.json) console.log(`${label.padEnd(60)} ${text}`);
  }

  note(text: string): void {
    const notes = (this.figures['notes'] ??= []) as string[];
    notes.push(text);
    if (!this.json) console.log(`  note: ${text}`);
  }

  heading(text: string): void {
    if (!this.json) console.log(`\n${text}`);
  }
}

export function time<T>(fn: () => T): { value: T; seconds: number } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}
