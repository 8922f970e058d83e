import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, isSealed, loadOrCreateKeyFile, setSecretKey } from './secrets.js';
import { redact } from './logger.js';

const newKey = () => crypto.randomBytes(32).toString('base64');

describe('secrets at rest (AES-256-GCM)', () => {
  beforeEach(() => setSecretKey(newKey()));

  it('round-trips, with a fresh IV every time', () => {
    const plain = 'imap-p@ssw0rd ünïcødé 🔑';
    const sealed = encryptSecret(plain);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(plain);
    expect(decryptSecret(sealed)).toBe(plain);
    expect(encryptSecret(plain)).not.toBe(sealed);
    expect(decryptSecret(encryptSecret(''))).toBe('');
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const sealed = encryptSecret('a secret worth protecting');
    const [version, iv, tag, data] = sealed.split(':') as [string, string, string, string];
    const flip = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes.toString('base64');
    };
    expect(() => decryptSecret([version, iv, tag, flip(data)].join(':'))).toThrow();
    expect(() => decryptSecret([version, iv, flip(tag), data].join(':'))).toThrow();
    expect(() => decryptSecret([version, flip(iv), tag, data].join(':'))).toThrow();
    expect(() => decryptSecret('v0:garbage')).toThrow(/format/);
  });

  it('refuses to decrypt with another key', () => {
    const sealed = encryptSecret('only for the first key');
    setSecretKey(newKey());
    expect(() => decryptSecret(sealed)).toThrow();
  });

  it('accepts only 32-byte keys', () => {
    expect(() => setSecretKey(crypto.randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('loadOrCreateKeyFile', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('creates the key file with mode 0600 and returns the same key on the next call', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-secrets-'));
    dirs.push(dir);
    const dataDir = path.join(dir, 'data');
    const key = loadOrCreateKeyFile(dataDir);
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    const file = path.join(dataDir, 'secret.key');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(dataDir)).toBe(key);
    // And the key works.
    setSecretKey(key);
    expect(decryptSecret(encryptSecret('x'))).toBe('x');
  });
});

describe('log redaction', () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    return { log: pino({ level: 'info', redact }, stream), lines };
  }

  it('censors passwords, tokens and authorization headers wherever they appear', () => {
    const { log, lines } = capture();
    log.info(
      {
        password: 'pw-top',
        token: 'tok-top',
        authorization: 'Bearer auth-top',
        secret: 'secret-top',
        imapPassword: 'imap-top',
        smtpPassword: 'smtp-top',
        user: { email: 'agent1@demo.test', password: 'pw-nested', token: 'tok-nested' },
        input: { nested: { password: 'pw-deep' }, imapPassword: 'imap-nested', smtpPassword: 'smtp-nested' },
        req: { headers: { authorization: 'Bearer auth-req', 'user-agent': 'vitest' } },
        headers: { authorization: 'Bearer auth-headers' },
      },
      'something happened',
    );
    const entry = JSON.parse(lines.join('')) as Record<string, unknown>;
    const text = JSON.stringify(entry);
    for (const secret of [
      'pw-top',
      'tok-top',
      'auth-top',
      'secret-top',
      'imap-top',
      'smtp-top',
      'pw-nested',
      'tok-nested',
      'pw-deep',
      'imap-nested',
      'smtp-nested',
      'auth-req',
      'auth-headers',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(entry).toMatchObject({
      password: '[redacted]',
      token: '[redacted]',
      authorization: '[redacted]',
      user: { email: 'agent1@demo.test', password: '[redacted]' },
      req: { headers: { authorization: '[redacted]', 'user-agent': 'vitest' } },
      msg: 'something happened',
    });
  });
});
