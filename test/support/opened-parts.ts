export interface Closable {
  close(): Promise<void>;
}

/** What a test opened (backplanes, queues, registries), to be closed together at its end. */
export class OpenedParts {
  private readonly parts: Closable[] = [];

  add<T extends Closable>(part: T): T {
    this.parts.push(part);
    return part;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.parts.map((part) => part.close()));
  }
}
