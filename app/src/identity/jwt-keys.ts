import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { AppError } from '../errors/app-error.js';

export type JwtAlgorithm = AppConfig['auth']['jwt']['algorithm'];

/** The key material for one pinned algorithm. */
export interface JwtKeys {
  readonly algorithm: JwtAlgorithm;
  /** HS256 secret or PEM private key; undefined on an instance that only verifies. */
  readonly signingKey: Buffer | string | undefined;
  /** HS256 secret or PEM public key. Never the private key, never a secret for RS/ES. */
  readonly verificationKey: Buffer | string;
}

/** Nest injection token for the resolved JwtKeys. */
export const JWT_KEYS = Symbol('JwtKeys');

const SECRET_FILE = 'jwt-secret';
const GENERATED_SECRET_BYTES = 48;
const MIN_SECRET_BYTES = 32;

/**
 * Turns the auth config into usable keys, or fails the start with CONFIG_INVALID.
 *
 * HS256 without JWT_SECRET is allowed outside production only: 48 random bytes are
 * generated once into <dataDir>/jwt-secret (mode 0600) and reused on later starts, so
 * tokens survive restarts on this machine. RS256/ES256 keys are checked to be of the
 * right kind (and to match each other) now rather than on the first login.
 */
export function resolveJwtKeys(config: AppConfig, logger = new Logger('JwtKeys')): JwtKeys {
  const { algorithm, secret, publicKey, privateKey } = config.auth.jwt;
  if (algorithm === 'HS256') {
    const key = secret !== undefined ? Buffer.from(secret, 'utf8') : generatedSecret(config, logger);
    return { algorithm, signingKey: key, verificationKey: key };
  }
  const privateObject =
    privateKey === undefined ? undefined : parseKey(() => createPrivateKey(pem(privateKey)), 'JWT_PRIVATE_KEY');
  const publicObject =
    publicKey !== undefined
      ? parseKey(() => createPublicKey(pem(publicKey)), 'JWT_PUBLIC_KEY')
      : privateObject !== undefined
        ? createPublicKey(privateObject)
        : undefined;
  if (publicObject === undefined) {
    throw new AppError(
      'CONFIG_INVALID',
      `JWT_PUBLIC_KEY (or JWT_PRIVATE_KEY) is required for JWT_ALGORITHM=${algorithm}`,
    );
  }
  checkKeyKind(algorithm, publicObject, 'JWT_PUBLIC_KEY');
  if (privateObject !== undefined) {
    checkKeyKind(algorithm, privateObject, 'JWT_PRIVATE_KEY');
    const derived = createPublicKey(privateObject).export({ type: 'spki', format: 'der' });
    if (!derived.equals(publicObject.export({ type: 'spki', format: 'der' }))) {
      throw new AppError('CONFIG_INVALID', 'JWT_PRIVATE_KEY does not belong to JWT_PUBLIC_KEY');
    }
  }
  return {
    algorithm,
    signingKey: privateObject?.export({ type: 'pkcs8', format: 'pem' }).toString(),
    verificationKey: publicObject.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function generatedSecret(config: AppConfig, logger: Logger): Buffer {
  if (config.mode === 'production') {
    throw new AppError('CONFIG_INVALID', 'JWT_SECRET is required when NODE_ENV=production and JWT_ALGORITHM=HS256');
  }
  const path = join(config.dataDir, SECRET_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  let created = false;
  try {
    // 'wx' fails if the file exists, so two processes starting together keep one secret.
    writeFileSync(path, `${randomBytes(GENERATED_SECRET_BYTES).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64url');
  if (key.length < MIN_SECRET_BYTES) {
    throw new AppError(
      'CONFIG_INVALID',
      `${path} holds fewer than ${MIN_SECRET_BYTES} bytes; delete it to generate a new secret`,
    );
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    logger.warn(`${path} is readable by other users; chmod 600 it`);
  }
  logger.warn(
    `JWT_SECRET is not set: ${created ? 'generated a signing secret in' : 'using the generated signing secret in'} ${path}. ` +
      'Set JWT_SECRET (at least 32 bytes) when more than one instance must accept the same tokens.',
  );
  return key;
}

// Keys passed through environment variables often arrive with literal "\n" sequences.
function pem(value: string): string {
  return value.includes('\n') ? value : value.replace(/\\n/g, '\n');
}

function parseKey(parse: () => KeyObject, name: string): KeyObject {
  try {
    return parse();
  } catch (error) {
    throw new AppError('CONFIG_INVALID', `${name} is not a readable PEM key: ${(error as Error).message}`);
  }
}

function checkKeyKind(algorithm: 'RS256' | 'ES256', key: KeyObject, name: string): void {
  const ok =
    algorithm === 'RS256'
      ? key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048
      : key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  if (!ok) {
    const expected = algorithm === 'RS256' ? 'an RSA key of at least 2048 bits' : 'an EC P-256 key';
    throw new AppError('CONFIG_INVALID', `${name} must be ${expected} for JWT_ALGORITHM=${algorithm}`);
  }
}
