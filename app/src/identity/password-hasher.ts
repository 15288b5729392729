import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BoundedWork } from './bounded-work.js';

/** scrypt cost: N = 2^log2N, block size r, parallelism p. */
export interface ScryptParams {
  readonly log2N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * N = 2^15, r = 8 (32 MiB, roughly 50-100 ms per hash on one core): OWASP's minimum for
 * scrypt is N = 2^17 with r = 8 and p = 1, or equivalent work; 2^15 keeps a login burst
 * from starving the event loop's thread pool. Raise it when hardware allows: old hashes
 * keep verifying because each hash records its own parameters.
 */
export const DEFAULT_SCRYPT_PARAMS: ScryptParams = { log2N: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bounds for parameters read back from a stored hash, so a corrupted or hostile value
// cannot make one verification allocate gigabytes or spin for minutes.
const LIMITS = { log2N: [10, 20], r: [1, 32], p: [1, 16], key: [16, 64] } as const;
const FORMAT = /^scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

/**
 * Salted scrypt password hashes in a self-describing string:
 *   scrypt$ln=15,r=8,p=1$<salt, base64url>$<key, base64url>
 */
export class PasswordHasher {
  private readonly work: BoundedWork;

  /** `bound`: scrypt runs at once and waiting (LIMIT_BUSY beyond). @default 2 running, 64 waiting */
  constructor(
    private readonly params: ScryptParams = DEFAULT_SCRYPT_PARAMS,
    bound: { readonly maxConcurrent: number; readonly maxQueued: number } = { maxConcurrent: 2, maxQueued: 64 },
  ) {
    this.work = new BoundedWork(bound.maxConcurrent, bound.maxQueued);
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.work.run(() => derive(password, salt, KEY_BYTES, this.params));
    const { log2N, r, p } = this.params;
    return `scrypt$ln=${log2N},r=${r},p=${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** False for a wrong password and for a hash this class cannot read; never throws on input. */
  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = parse(encoded);
    if (parsed === undefined) return false;
    const key = await this.work.run(() => derive(password, parsed.salt, parsed.key.length, parsed.params));
    return timingSafeEqual(key, parsed.key);
  }
}

function parse(encoded: string): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const match = FORMAT.exec(encoded);
  if (match === null) return undefined;
  const [log2N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const salt = Buffer.from(match[4]!, 'base64url');
  const key = Buffer.from(match[5]!, 'base64url');
  const within = (value: number, [min, max]: readonly [number, number]) => value >= min && value <= max;
  if (!within(log2N, LIMITS.log2N) || !within(r, LIMITS.r) || !within(p, LIMITS.p) || !within(key.length, LIMITS.key)) {
    return undefined;
  }
  return { params: { log2N, r, p }, salt, key };
}

function derive(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  // scrypt needs about 128 * N * r bytes; Node refuses above maxmem (32 MiB by default).
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
