import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../../../app/src/config/load-config.js';
import { resolveJwtKeys } from '../../../app/src/identity/jwt-keys.js';

describe('resolveJwtKeys', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-keys-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  class RecordingLogger extends Logger {
    readonly warnings: string[] = [];
    override warn(message: string): void {
      this.warnings.push(message);
    }
  }

  it('uses JWT_SECRET as the HS256 key when set', () => {
    const secret = 'a-configured-secret-of-enough-length-0123';
    const keys = resolveJwtKeys(loadConfig({ DATA_DIR: dataDir(), JWT_SECRET: secret }));
    expect(keys.algorithm).toBe('HS256');
    expect(keys.signingKey).toEqual(Buffer.from(secret));
    expect(keys.verificationKey).toEqual(Buffer.from(secret));
  });

  it('outside production, generates a 48-byte secret once into <dataDir>/jwt-secret (0600), warns, and reuses it', () => {
    const dir = dataDir();
    const logger = new RecordingLogger();
    const first = resolveJwtKeys(loadConfig({ DATA_DIR: dir }), logger);
    const path = join(dir, 'jwt-secret');
    expect((first.signingKey as Buffer).length).toBe(48);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(logger.warnings.join('\n')).toMatch(/JWT_SECRET is not set: generated a signing secret/);

    const second = resolveJwtKeys(loadConfig({ DATA_DIR: dir }), logger);
    expect(second.signingKey).toEqual(first.signingKey);
    expect(readFileSync(path, 'utf8').trim()).toBe((first.signingKey as Buffer).toString('base64url'));
  });

  it('never generates a secret in production', () => {
    const config = { ...loadConfig({ DATA_DIR: dataDir() }), mode: 'production' as const };
    expect(() => resolveJwtKeys(config)).toThrow(/JWT_SECRET is required when NODE_ENV=production/);
  });

  it('derives the public key from the private key when only that is given', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keys = resolveJwtKeys(
      loadConfig({
        DATA_DIR: dataDir(),
        JWT_ALGORITHM: 'RS256',
        JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      }),
    );
    expect(keys.verificationKey).toMatch(/BEGIN PUBLIC KEY/);
  });

  it.each([
    [
      'an EC key for RS256',
      'RS256',
      () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
      /must be an RSA key/,
    ],
    [
      'an RSA key for ES256',
      'ES256',
      () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
      /must be an EC P-256 key/,
    ],
    ['a short RSA key', 'RS256', () => generateKeyPairSync('rsa', { modulusLength: 1024 }), /at least 2048 bits/],
  ] as const)('refuses %s', (_name, algorithm, makePair, message) => {
    const pair = makePair();
    const config = loadConfig({
      DATA_DIR: dataDir(),
      JWT_ALGORITHM: algorithm,
      JWT_PUBLIC_KEY: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    });
    expect(() => resolveJwtKeys(config)).toThrow(message);
  });

  it('refuses a private key that does not match the public key', () => {
    const one = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const two = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const config = loadConfig({
      DATA_DIR: dataDir(),
      JWT_ALGORITHM: 'RS256',
      JWT_PUBLIC_KEY: one.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      JWT_PRIVATE_KEY: two.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(() => resolveJwtKeys(config)).toThrow(/does not belong to JWT_PUBLIC_KEY/);
  });

  it('refuses RS256 without any key, and an unreadable key', () => {
    expect(() => resolveJwtKeys(loadConfig({ DATA_DIR: dataDir(), JWT_ALGORITHM: 'RS256' }))).toThrow(
      /JWT_PUBLIC_KEY \(or JWT_PRIVATE_KEY\) is required/,
    );
    expect(() =>
      resolveJwtKeys(loadConfig({ DATA_DIR: dataDir(), JWT_ALGORITHM: 'RS256', JWT_PUBLIC_KEY: 'not a pem' })),
    ).toThrow(/JWT_PUBLIC_KEY is not a readable PEM key/);
  });
});
