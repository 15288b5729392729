/**
 * A one-line progress bar on stderr: redrawn in place on a terminal, a line per tenth of
 * the work otherwise (CI logs), with the rate and the time left.
 */
const WIDTH = 28;

export class ProgressBar {
  private done = 0;
  private readonly started = performance.now();
  private lastTenth = -1;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.draw();
  }

  tick(count = 1): void {
    this.done = Math.min(this.total, this.done + count);
    this.draw();
  }

  finish(): void {
    this.done = this.total;
    this.draw();
    if (this.stream.isTTY) this.stream.write('\n');
  }

  private draw(): void {
    const share = this.total === 0 ? 1 : this.done / this.total;
    const seconds = (performance.now() - this.started) / 1_000;
    const rate = seconds > 0 ? this.done / seconds : 0;
    const left = rate > 0 ? (this.total - this.done) / rate : undefined;
    const filled = Math.round(share * WIDTH);
    const line =
      `${this.label.padEnd(6)} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ` +
      `${this.done}/${this.total} ${rate.toFixed(1)}/s` +
      (left === undefined || this.done === this.total ? '' : ` ~${Math.ceil(left)}s left`);
    if (this.stream.isTTY) {
      this.stream.write(`\r${line}\x1b[K`);
      return;
    }
    const tenth = Math.floor(share * 10);
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${line}\n`);
    }
  }
}
