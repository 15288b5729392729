import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are 256 random bits, base64url: unguessable, so a fast unsalted SHA-256
 * is enough to store them (a slow hash guards guessable secrets like passwords).
 */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
