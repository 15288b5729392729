/** Counts client-side failures and keeps the first few messages, so a bad run explains itself. */
export class ErrorLog {
  connectFailures = 0;
  unconfirmedSubscriptions = 0;
  errorFrames = 0;
  unexpectedCloses = 0;
  private readonly kept: string[] = [];

  constructor(private readonly keep = 5) {}

  note(text: string): void {
    if (this.kept.length < this.keep) this.kept.push(text);
  }

  get samples(): readonly string[] {
    return this.kept;
  }
}
