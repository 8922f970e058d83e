// AES-256-GCM for secrets at rest (IMAP/SMTP passwords, API tokens).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';
let key: Buffer | undefined;

export function setSecretKey(base64Key: string): void {
  const decoded = Buffer.from(base64Key, 'base64');
  if (decoded.length !== 32) throw new Error('SECRET_KEY must decode to exactly 32 bytes');
  key = decoded;
}

/** Reads `<dataDir>/secret.key`, creating it (mode 0600) on first use. */
export function loadOrCreateKeyFile(dataDir: string): string {
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const generated = crypto.randomBytes(32).toString('base64');
  try {
    fs.writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
    return generated;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw error;
  }
}

function currentKey(): Buffer {
  if (!key) throw new Error('The secret key has not been configured');
  return key;
}

export function encryptSecret(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', currentKey(), iv);
  const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64'), tag.toString('base64'), encrypted.toString('base64')].join(':');
}

export function decryptSecret(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(':');
  if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('Unrecognised secret format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', currentKey(), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}:`);
}

/** A key for one purpose (signing links, …), derived from the secret key with HKDF. */
export function derivedKey(purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', currentKey(), Buffer.alloc(0), `switchboard:${purpose}`, 32));
}
