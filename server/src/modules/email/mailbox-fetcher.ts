// Fetches a mailbox's new messages after its stored cursor and ingests them in batches (one
// transaction per batch, cursor included). Used by the IDLE watcher, the poller and "fetch now".
import type { ImapFlow } from 'imapflow';
import type { MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants } from '../../db/tenant-scope.js';
import { childLogger } from '../../lib/logger.js';
import { EmailAddress, MailboxHealth } from './email-address.entity.js';
import type { FetchedMail, MailIngestService } from './mail-ingest.service.js';
import { isAuthFailure, serverMessage } from './mail-connections.js';

const log = childLogger('mailbox-fetcher');
/** Messages per batch, and the raw bytes one batch may hold in memory (at least one message). */
const BATCH = 100;
const BATCH_BYTES = 8 * 1024 * 1024;

export interface FetchResult {
  fetched: number;
}

export class MailboxFetcher {
  constructor(
    private readonly orm: MikroORM,
    private readonly ingest: MailIngestService,
  ) {}

  /** On an open, selected mailbox: ingests every message after the cursor, oldest first. */
  async fetchNew(client: ImapFlow, emailAddressId: string): Promise<FetchResult> {
    const address = await acrossTenants(this.orm.em).findOneOrFail(EmailAddress, emailAddressId);
    const mailbox = client.mailbox;
    if (!mailbox || !client.usable) return { fetched: 0 }; // the connection is closing: the next one catches up
    const uidValidity = String(mailbox.uidValidity);
    const sameMailbox = address.uidValidity === uidValidity;
    // UIDVALIDITY changed (mailbox recreated): start over; Message-ID dedupe prevents doubles.
    const after = sameMailbox && address.lastUid ? BigInt(address.lastUid) : 0n;
    if (mailbox.exists === 0) {
      if (!sameMailbox) await this.saveCursor(emailAddressId, uidValidity, '0');
      await this.markHealthy(emailAddressId); // an empty mailbox is a working one
      return { fetched: 0 };
    }
    // The ingest service fetches and reads the next batch while it records one.
    const batches = this.batchesAfter(client, after, uidValidity);
    const fetched = (await this.ingest.ingestBatches(emailAddressId, batches)).length;
    if (!sameMailbox && fetched === 0) await this.saveCursor(emailAddressId, uidValidity, String(after));
    await this.markHealthy(emailAddressId);
    return { fetched };
  }

  /** The mailbox's messages after UID `after`, oldest first, in batches. */
  private async *batchesAfter(client: ImapFlow, after: bigint, uidValidity: string): AsyncGenerator<FetchedMail[]> {
    for (;;) {
      const uids = ((await client.search({ uid: `${after + 1n}:*` }, { uid: true })) || [])
        .map((uid) => BigInt(uid))
        .filter((uid) => uid > after)
        .sort((a, b) => (a < b ? -1 : 1))
        .slice(0, BATCH);
      if (uids.length === 0) return;
      const batch = await this.fetchBatch(client, uids, uidValidity);
      after = uids[batch.length - 1] ?? after;
      yield batch;
    }
  }

  /** The first messages of `uids` that fit the byte budget (at least one), with their sources. */
  private async fetchBatch(client: ImapFlow, uids: bigint[], uidValidity: string): Promise<FetchedMail[]> {
    let count = uids.length;
    if (count > 1) {
      const sizes = await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true });
      const sizeOf = new Map(sizes.map((m) => [BigInt(m.uid), m.size ?? 0]));
      let bytes = 0;
      count = 0;
      for (const uid of uids) {
        bytes += sizeOf.get(uid) ?? 0;
        if (count > 0 && bytes > BATCH_BYTES) break;
        count += 1;
      }
    }
    const chosen = uids.slice(0, count);
    const fetched = await client.fetchAll(chosen.join(','), { uid: true, source: true }, { uid: true });
    const sources = new Map(fetched.map((m) => [BigInt(m.uid), m.source ?? null]));
    // A UID missing here was expunged between SEARCH and FETCH: nothing to ingest, the cursor moves past it.
    return chosen.map((uid) => ({ raw: sources.get(uid) ?? null, cursor: { uidValidity, uid: String(uid) } }));
  }

  async markFailure(emailAddressId: string, error: unknown): Promise<void> {
    const em = acrossTenants(this.orm.em);
    const address = await em.findOne(EmailAddress, emailAddressId);
    if (!address) return;
    address.failures += 1;
    address.health = isAuthFailure(error) ? MailboxHealth.AUTH_FAILED : MailboxHealth.ERROR;
    address.lastError = serverMessage(error);
    address.lastCheckAt = new Date();
    address.nextAttemptAt = new Date(Date.now() + retryDelayMs(address.failures));
    await em.flush();
    log.warn({ emailAddressId, failures: address.failures, err: address.lastError }, 'mailbox failed');
  }

  private async markHealthy(emailAddressId: string): Promise<void> {
    await acrossTenants(this.orm.em).nativeUpdate(
      EmailAddress,
      { id: emailAddressId },
      { health: MailboxHealth.OK, lastError: null, lastCheckAt: new Date(), failures: 0, nextAttemptAt: null },
    );
  }

  private async saveCursor(emailAddressId: string, uidValidity: string, uid: string): Promise<void> {
    await acrossTenants(this.orm.em).nativeUpdate(EmailAddress, { id: emailAddressId }, { uidValidity, lastUid: uid });
  }
}

/** Exponential backoff for a failing mailbox: 5 s, 10 s, 20 s … capped at 10 min. */
export function retryDelayMs(failures: number): number {
  return Math.min(5_000 * 2 ** Math.max(failures - 1, 0), 600_000);
}
