// The CLI's progress display for long commands: on a terminal a bar redrawn in place with the rate
// and the time left; otherwise (a pipe, a log file, CI) a plain line at most every few seconds, so a
// log stays readable. The first figures are printed at once.
interface Output {
  write(text: string): unknown;
}

const BAR = 30;
const fmt = (n: number) => n.toLocaleString('en-US');

export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export class ProgressLine {
  readonly #started = Date.now();
  #lastPrint = 0;
  #drawn = false;

  constructor(
    private readonly out: Output,
    private readonly tty: boolean,
    private readonly unit: string,
    private readonly everyMs = 5_000,
  ) {}

  /** The figures now; `note` adds a word (waiting, paused…). */
  update(done: number, total: number, note = ''): void {
    const now = Date.now();
    if (!this.tty && this.#lastPrint !== 0 && now - this.#lastPrint < this.everyMs) return;
    this.#lastPrint = now;
    const elapsed = (now - this.#started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const left = rate > 0 ? (total - done) / rate : Number.NaN;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const figures = `${fmt(done)}/${fmt(total)} ${this.unit} ${Math.floor(share * 100)}%  ${fmt(Math.round(rate))}/s  ETA ${done >= total ? '0s' : duration(left)}${note ? `  ${note}` : ''}`;
    if (this.tty) {
      const filled = Math.round(share * BAR);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${figures}\x1b[K`);
      this.#drawn = true;
    } else this.out.write(`progress: ${figures}\n`);
  }

  /** Ends the bar's line (a terminal's cursor is left after it). */
  end(): void {
    if (this.#drawn) this.out.write('\n');
    this.#drawn = false;
  }
}
