import {
  ENVIRONMENT_VARIABLES,
  type EnvironmentVariable,
  type EnvironmentVariableName,
} from './environment-variables.js';

/**
 * Reads typed values out of an environment map and collects every problem instead of
 * stopping at the first, so a misconfigured deployment learns all its mistakes in one start.
 */
export type Env = Readonly<Record<string, string | undefined>>;

type Name = EnvironmentVariableName;

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The raw value, or undefined when unset or blank. */
  raw(name: Name): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  /** The value, or the listed default (or `fallback`, for a default derived from other variables). */
  string(name: Name, fallback: string = listedDefault(name, 'string')): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: Name): string | undefined {
    return this.raw(name);
  }

  /** An integer in the listed range; unset: the listed default, or `fallback`. */
  int(name: Name, fallback?: number): number {
    const [min, max] = listed(name).range ?? missing(name, 'range');
    const value = this.raw(name);
    if (value === undefined) return fallback ?? listedDefault(name, 'number');
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.fail(name, `an integer from ${min} to ${max}`, value);
      return fallback ?? listedDefault(name, 'number');
    }
    return parsed;
  }

  bool(name: Name, fallback: boolean = listedDefault(name, 'boolean')): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(value)) return true;
    if (['0', 'false', 'no', 'off'].includes(value)) return false;
    this.fail(name, 'true or false', value);
    return fallback;
  }

  oneOf<T extends string>(name: Name, allowed: readonly T[], fallback: T = listedDefault(name, 'string') as T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.fail(name, `one of ${allowed.join(', ')}`, value);
    return fallback;
  }

  list(name: Name): string[] | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  url(name: Name, protocols: readonly string[]): string | undefined {
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

function listed(name: Name): EnvironmentVariable {
  return ENVIRONMENT_VARIABLES[name];
}

function listedDefault<T extends 'string' | 'number' | 'boolean'>(
  name: Name,
  type: T,
): T extends 'string' ? string : T extends 'number' ? number : boolean {
  const value = listed(name).default;
  if (typeof value !== type) missing(name, `${type} default`);
  return value as T extends 'string' ? string : T extends 'number' ? number : boolean;
}

/** A reader call that the list cannot back: a programming error, not a configuration one. */
function missing(name: Name, what: string): never {
  throw new Error(`${name}: environment-variables.ts lists no ${what} for it`);
}
