// Fetches a mailbox's new messages after its stored cursor and ingests them one by one. Used by
// the IDLE watcher, the poller and "fetch now" alike.
import type { ImapFlow } from 'imapflow';
import type { MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants } from '../../db/tenant-scope.js';
import { childLogger } from '../../lib/logger.js';
import { EmailAddress, MailboxHealth } from './email-address.entity.js';
import type { MailIngestService } from './mail-ingest.service.js';
import { isAuthFailure, serverMessage } from './mail-connections.js';

const log = childLogger('mailbox-fetcher');
const BATCH = 100;

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
    let after = sameMailbox && address.lastUid ? BigInt(address.lastUid) : 0n;
    let fetched = 0;
    if (mailbox.exists === 0) {
      if (!sameMailbox) await this.saveCursor(emailAddressId, uidValidity, '0');
      return { fetched };
    }
    for (;;) {
      const uids = ((await client.search({ uid: `${after + 1n}:*` }, { uid: true })) || [])
        .map((uid) => BigInt(uid))
        .filter((uid) => uid > after)
        .sort((a, b) => (a < b ? -1 : 1))
        .slice(0, BATCH);
      if (uids.length === 0) break;
      for (const uid of uids) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (message && message.source) {
          await this.ingest.ingest(emailAddressId, message.source, { uidValidity, uid: String(uid) });
        } else {
          // Expunged between SEARCH and FETCH: nothing to ingest, just move past it.
          await this.saveCursor(emailAddressId, uidValidity, String(uid));
        }
        after = uid;
        fetched += 1;
      }
    }
    if (!sameMailbox && fetched === 0) await this.saveCursor(emailAddressId, uidValidity, String(after));
    await this.markHealthy(emailAddressId);
    return { fetched };
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
