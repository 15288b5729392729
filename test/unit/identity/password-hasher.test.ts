import { describe, expect, it } from '@jest/globals';
import { PasswordHasher } from '../../../app/src/identity/password-hasher.js';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher({ log2N: 10, r: 8, p: 1 });

  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery');
    expect(await hasher.verify('correct horse battery', hash)).toBe(true);
    expect(await hasher.verify('correct horse battery!', hash)).toBe(false);
  });

  it('salts every hash and records its parameters in it', async () => {
    const [a, b] = await Promise.all([hasher.hash('same password'), hasher.hash('same password')]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  });

  it('verifies hashes made with other parameters, so the cost can be raised later', async () => {
    const old = await new PasswordHasher({ log2N: 11, r: 4, p: 2 }).hash('pw-12345678');
    expect(await hasher.verify('pw-12345678', old)).toBe(true);
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const hash = await hasher.hash('caf\u00e9-pass');
    expect(await hasher.verify('cafe\u0301-pass', hash)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['another scheme', '$2b$10$abcdefghijklmnopqrstuv'],
    ['absurd cost', 'scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['truncated key', 'scrypt$ln=10,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA'],
  ])('says no, without throwing, to an unreadable hash (%s)', async (_name, encoded) => {
    expect(await hasher.verify('whatever', encoded)).toBe(false);
  });
});
