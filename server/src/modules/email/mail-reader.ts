// Reads (parses and classifies) incoming mail in a small pool of worker threads, so parsing the
// next batch of a mailbox overlaps recording the current one, and a big mail never stalls the event
// loop that serves IDLE connections and the API. With no threads configured it reads in-line.
import { Piscina } from 'piscina';
import { childLogger } from '../../lib/logger.js';
import { readMail, type ReadMail } from './inbound/read-mail.js';
import { mailDomain } from './mail-identity.js';

const log = childLogger('mail-reader');

export class MailReader {
  private pool: Piscina | null = null;

  /** `threads`: 0 reads on the calling thread. */
  constructor(private readonly threads: number) {}

  async read(raw: Buffer): Promise<ReadMail> {
    const ownDomains = [mailDomain()];
    const pool = this.threads > 0 ? this.started() : null;
    if (!pool) return readMail(raw, ownDomains);
    try {
      return revive(await pool.run({ raw, ownDomains }));
    } catch (error) {
      // A thread that died (it never throws for bad mail: parseMail reads what it can) must not
      // lose the mail: read it here instead.
      log.error({ err: (error as Error).message }, 'mail-reading thread failed; reading in-line');
      return readMail(raw, ownDomains);
    }
  }

  /** Starts the threads and has each load the parser, so the first mail is read at full speed. */
  async warmUp(): Promise<void> {
    if (this.threads === 0) return;
    const probe = Buffer.from('From: warm-up@switchboard.invalid\r\nSubject: warm-up\r\n\r\nwarm-up\r\n');
    await Promise.all(Array.from({ length: this.threads }, () => this.read(probe)));
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private started(): Piscina {
    this.pool ??= new Piscina({
      filename: new URL('./inbound/read-mail.thread.mjs', import.meta.url).href,
      minThreads: this.threads,
      maxThreads: this.threads,
      // Threads stay up: starting one (loading the parser) would cost a mail its latency.
      idleTimeout: Number.MAX_SAFE_INTEGER,
      // The parent's flags (a TypeScript loader, test runner hooks) are not the thread's business.
      execArgv: [],
    });
    return this.pool;
  }
}

/** Structured cloning turns Buffers into Uint8Arrays; the rest of ParsedMail survives as is. */
function revive(read: ReadMail): ReadMail {
  for (const attachment of read.mail.attachments) {
    const bytes = attachment.content as Uint8Array;
    attachment.content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  return read;
}
