// Local attachment storage: files only their owner can read, never overwritten, and written
// again after their directory was removed behind the process's back.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskAttachmentStorage, newStorageKey } from './attachment-storage.js';

const roots: string[] = [];
function storageRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-storage-'));
  roots.push(root);
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

describe('DiskAttachmentStorage', () => {
  it('stores bytes readable back, for the owner only', async () => {
    const root = storageRoot();
    const storage = new DiskAttachmentStorage(root);
    const key = newStorageKey('tenant-a');
    await storage.put(key, Buffer.from('report body'));
    expect(await text(storage.read(key))).toBe('report body');
    expect(fs.statSync(path.join(root, key)).mode & 0o777).toBe(0o600);
  });

  it('never overwrites a stored file: a key is used once', async () => {
    const storage = new DiskAttachmentStorage(storageRoot());
    const key = newStorageKey('tenant-a');
    await storage.put(key, Buffer.from('first'));
    await expect(storage.put(key, Buffer.from('second'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await text(storage.read(key))).toBe('first');
  });

  it('makes the directory again when it was removed after the first write', async () => {
    const root = storageRoot();
    const storage = new DiskAttachmentStorage(root);
    await storage.put(newStorageKey('tenant-a'), Buffer.from('one'));
    fs.rmSync(path.join(root, 'tenant-a'), { recursive: true });
    const key = newStorageKey('tenant-a');
    await storage.put(key, Buffer.from('two'));
    expect(await text(storage.read(key))).toBe('two');
  });

  it('refuses keys that could leave its directory', async () => {
    const storage = new DiskAttachmentStorage(storageRoot());
    await expect(storage.put('../escape', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    await storage.remove(newStorageKey('tenant-a')); // removing what is not there is no error
  });
});
