/**
 * Reads typed values out of an environment map and collects every problem instead of
 * stopping at the first, so a misconfigured deployment learns all its mistakes in one start.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The raw value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string): string | undefined {
    return this.raw(name);
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.fail(name, `an integer from ${min} to ${max}`, value);
      return fallback;
    }
    return parsed;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.fail(name, 'true or false', value);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, `one of ${allowed.join(', ')}`, value);
    return fallback;
  }

  list(name: string): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  url(name: string, protocols: readonly string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (protocols.includes(parsed.protocol.replace(/:$/, ''))) return value;
    } catch {
      // reported below
    }
    this.fail(name, `a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`, '<redacted>');
    return undefined;
  }

  /** Records a problem that involves several variables or a rule beyond one value's shape. */
  problem(message: string): void {
    this.problems.push(message);
  }

  get errors(): readonly string[] {
    return this.problems;
  }

  private fail(name: string, expected: string, got: string): void {
    this.problems.push(`${name}: expected ${expected}, got '${got}'`);
  }
}
