// Where attachment bytes live. Local disk under DATA_DIR/attachments today; an object store later
// implements the same interface.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';

export interface AttachmentStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  read(key: string): Readable;
  remove(key: string): Promise<void>;
}

export class DiskAttachmentStorage implements AttachmentStorage {
  /** Directories known to exist: each tenant's files share one, and ingest writes thousands a minute. */
  private readonly madeDirs = new Set<string>();

  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    if (!/^[a-z0-9/-]+$/.test(key)) throw new Error('invalid storage key');
    return path.join(this.root, key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.pathOf(key);
    const dir = path.dirname(file);
    if (!this.madeDirs.has(dir)) await this.makeDir(dir);
    // Straight to the final name: keys are never reused ('wx' refuses an existing file) and a row
    // names a file only after put() resolved, so a crash mid-write leaves an orphan, never a
    // half-written file that something points at. The callback form costs ingest, which writes
    // thousands of files a minute, less than half the CPU of fs.promises with a rename.
    try {
      await writeNewFile(file, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await this.makeDir(dir); // removed behind our back
      await writeNewFile(file, bytes);
    }
  }

  private async makeDir(dir: string): Promise<void> {
    await fs.promises.mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  read(key: string): Readable {
    return fs.createReadStream(this.pathOf(key));
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }
}

function writeNewFile(file: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) =>
    fs.writeFile(file, bytes, { mode: 0o600, flag: 'wx' }, (error) => (error ? reject(error) : resolve())),
  );
}

export function newStorageKey(tenantId: string): string {
  return `${tenantId}/${crypto.randomUUID()}`;
}
