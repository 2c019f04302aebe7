/**
 * The plain printer's clock for one generation: how many evaluations it has to run, how many have
 * finished, and when the last progress line was printed, so that progress shows at most once
 * every `intervalMs` and the generation's line can say how long it took.
 */
export class GenerationPace {
  private toEvaluate = 0;
  private finished = 0;
  private startedAt = 0;
  private lastLineAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {}

  start(toEvaluate: number): void {
    this.toEvaluate = toEvaluate;
    this.finished = 0;
    this.startedAt = this.lastLineAt = this.now();
  }

  /** Counts a finished evaluation; returns a progress line when one is due, else null. */
  evaluationFinished(): string | null {
    this.finished++;
    const t = this.now();
    if (t - this.lastLineAt < this.intervalMs || this.finished >= this.toEvaluate) return null;
    this.lastLineAt = t;
    const rate = this.finished / Math.max(0.001, (t - this.startedAt) / 1000);
    const left = Math.ceil((this.toEvaluate - this.finished) / rate);
    const done = `${this.finished}/${this.toEvaluate} evaluated`;
    return `  ${done} · ${rate.toFixed(2)} evaluations/s · about ${left}s left in this generation`;
  }

  /** Seconds since the generation started. */
  elapsedSeconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }
}
