/**
 * A destination pattern such as `/app/rooms.{roomId}.read`: `{name}` matches one segment (no
 * dots, no slashes), and a trailing `**` matches the rest (at least one character). Compiled
 * once, when the route is declared.
 */
export class DestinationPattern {
  private readonly regex: RegExp;
  private readonly names: readonly string[];

  constructor(readonly source: string) {
    const names: string[] = [];
    const body = source
      .split(/(\{[a-zA-Z][a-zA-Z0-9]*\}|\*\*$)/)
      .map((part) => {
        if (part === '**') return '(.+)';
        const placeholder = /^\{([a-zA-Z][a-zA-Z0-9]*)\}$/.exec(part);
        if (placeholder === null) return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        names.push(placeholder[1]!);
        return '([^./]+)';
      })
      .join('');
    this.regex = new RegExp(`^${body}$`);
    this.names = names;
  }

  /** The placeholder values when `destination` matches, else undefined. */
  match(destination: string): Record<string, string> | undefined {
    const match = this.regex.exec(destination);
    if (match === null) return undefined;
    const params: Record<string, string> = {};
    for (let index = 0; index < this.names.length; index++) params[this.names[index]!] = match[index + 1]!;
    return params;
  }
}
