// Incoming mail, end to end: store it raw, classify it, thread it, and record it on a ticket. The
// mails of one fetch are recorded in one transaction that also advances the mailbox cursor (see
// mail-batch.ts), so every message is handled exactly once across restarts and crashes, and events
// are published when that transaction commits. If a batch fails, its mails are retried one by one,
// and a mail that still fails alone is kept HELD with its error, so one bad message never blocks
// its mailbox.
import { FlushMode, LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { childLogger } from '../../lib/logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { newStorageKey } from '../attachments/attachment-storage.js';
import { EmailAddress, MailboxHealth } from './email-address.entity.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
import {
  MailBatch,
  incomingMailRow,
  prepareMail,
  removeUnusedFiles,
  type BatchServices,
  type IngestOutcome,
  type PreparedMail,
} from './mail-batch.js';

export type { IngestOutcome } from './mail-batch.js';

const log = childLogger('mail-ingest');

export interface MailboxCursor {
  uidValidity: string;
  uid: string;
}

/** A fetched message; `raw` null when it was expunged before it could be fetched. */
export interface FetchedMail {
  raw: Buffer | null;
  cursor: MailboxCursor | null;
}

type Item = { prepared: PreparedMail | null; cursor: MailboxCursor | null };

export class MailIngestService {
  constructor(
    private readonly orm: MikroORM,
    private readonly services: BatchServices,
  ) {}

  /** One mail (tests, "release held mail"): a batch of one. */
  async ingest(emailAddressId: string, raw: Buffer, cursor: MailboxCursor | null): Promise<IngestOutcome> {
    const [outcome] = await this.ingestBatch(emailAddressId, [{ raw, cursor }]);
    return outcome!;
  }

  /** The mails of one fetch, oldest first; one outcome per mail. */
  async ingestBatch(emailAddressId: string, fetched: FetchedMail[]): Promise<IngestOutcome[]> {
    return this.ingestBatches(
      emailAddressId,
      (async function* () {
        yield fetched;
      })(),
    );
  }

  /**
   * Consecutive batches of one mailbox, oldest first, each recorded in its own transaction. The
   * next batch is fetched and read (parsed in the reading threads, stored raw) while the current
   * one is recorded, so parsing, the database and the IMAP server work at the same time.
   */
  async ingestBatches(emailAddressId: string, batches: AsyncIterable<FetchedMail[]>): Promise<IngestOutcome[]> {
    const owner = await acrossTenants(this.orm.em).findOne(EmailAddress, emailAddressId);
    if (!owner) throw new Error(`email address ${emailAddressId} is gone`);
    const tenantId = owner.tenant.id;
    const source = batches[Symbol.asyncIterator]();
    const readNext = async (): Promise<Item[] | null> => {
      const next = await source.next();
      return next.done ? null : this.prepareAll(tenantId, next.value);
    };
    const outcomes: IngestOutcome[] = [];
    let upcoming = readNext();
    try {
      for (let items = await upcoming; items; items = await upcoming) {
        upcoming = readNext();
        // If recording fails, the batch read meanwhile is dropped (its raw files are orphans; the
        // mails are fetched again after the cursor): never an unhandled rejection.
        upcoming.catch(() => undefined);
        outcomes.push(...(await this.recordWithFallback(tenantId, emailAddressId, items)));
      }
    } finally {
      await source.return?.();
    }
    return outcomes;
  }

  private async recordWithFallback(tenantId: string, emailAddressId: string, items: Item[]): Promise<IngestOutcome[]> {
    let outcomes: IngestOutcome[];
    try {
      outcomes = await this.recordBatch(tenantId, emailAddressId, items);
    } catch (error) {
      if (items.length === 1) outcomes = [await this.holdUnrecordable(tenantId, emailAddressId, items[0]!, error)];
      else {
        log.warn({ emailAddressId, err: (error as Error).message, mails: items.length }, 'batch failed: one by one');
        outcomes = [];
        for (const item of items) {
          const [outcome] = await this.recordBatch(tenantId, emailAddressId, [item]).catch(async (e: unknown) => [
            await this.holdUnrecordable(tenantId, emailAddressId, item, e),
          ]);
          outcomes.push(outcome!);
        }
      }
    }
    await Promise.all(
      items.map(async ({ prepared }, i) => {
        const outcome = outcomes[i]!;
        if (prepared) {
          const seenBefore = outcome === 'already-processed' || outcome === 'duplicate';
          await removeUnusedFiles(this.services.storage, prepared, outcome, seenBefore);
        }
      }),
    );
    log.info({ emailAddressId, mails: items.length, outcomes: tally(outcomes) }, 'mail ingested');
    return outcomes;
  }

  /** A batch read at once: its mails are parsed in the reading threads side by side. */
  private prepareAll(tenantId: string, fetched: FetchedMail[]): Promise<Item[]> {
    return Promise.all(
      fetched.map(async ({ raw, cursor }) => ({ prepared: raw ? await this.prepare(tenantId, raw) : null, cursor })),
    );
  }

  /** Parsed, classified and stored raw before the transaction: a crash leaves an orphan file, never a lost mail. */
  private async prepare(tenantId: string, raw: Buffer): Promise<PreparedMail> {
    const rawKey = newStorageKey(tenantId);
    const [prepared] = await Promise.all([
      prepareMail(this.services.reader, this.services.storage, tenantId, raw, rawKey),
      this.services.storage.put(rawKey, raw),
    ]);
    return prepared;
  }

  private recordBatch(tenantId: string, emailAddressId: string, items: Item[]): Promise<IngestOutcome[]> {
    // COMMIT flush mode: queries must not flush half-built rows (unnumbered tickets); the batch
    // keeps its own indexes of what it wrote and flushes once (see MailBatch).
    return forTenant(this.orm.em, tenantId).transactional(
      async (tx) => {
        const address = await this.lockAddress(tx, emailAddressId);
        const fresh = items.map((item) => !(item.cursor && isAtOrBefore(address, item.cursor)));
        const batch = new MailBatch(tx, address, this.services);
        await batch.preload(items.flatMap((item, i) => (fresh[i] && item.prepared ? [item.prepared] : [])));
        const outcomes: IngestOutcome[] = [];
        for (const [i, item] of items.entries()) {
          if (!fresh[i]) outcomes.push('already-processed');
          else if (!item.prepared) outcomes.push('expunged');
          else outcomes.push(await batch.record(item.prepared));
        }
        this.advance(address, items, outcomes);
        await batch.finish();
        // All written: the commit's flush need not compare a thousand entities with themselves again.
        tx.clear();
        return outcomes;
      },
      { flushMode: FlushMode.COMMIT },
    );
  }

  /** A mail that cannot be recorded even alone is kept HELD with the error, and the cursor moves on. */
  private async holdUnrecordable(
    tenantId: string,
    emailAddressId: string,
    item: Item,
    error: unknown,
  ): Promise<IngestOutcome> {
    const reason = error instanceof Error ? error.message : String(error);
    log.error({ emailAddressId, err: reason, messageId: item.prepared?.messageId }, 'mail could not be recorded');
    return forTenant(this.orm.em, tenantId).transactional(async (tx) => {
      const address = await this.lockAddress(tx, emailAddressId);
      if (item.cursor && isAtOrBefore(address, item.cursor)) return 'already-processed' as const;
      const { prepared } = item;
      let outcome: IngestOutcome = 'expunged';
      if (prepared) {
        const taken = await tx.count(MailMessage, { direction: MailDirection.IN, messageId: prepared.messageId });
        outcome = taken ? 'duplicate' : 'held';
        if (!taken) {
          tx.create(MailMessage, {
            ...incomingMailRow(prepared, tx.getReference(Tenant, tenantId), address, MailStatus.HELD),
            lastError: `Could not be recorded: ${reason}`.slice(0, 2000),
          });
        }
      }
      this.advance(address, [item], [outcome]);
      await tx.flush();
      return outcome;
    });
  }

  private lockAddress(tx: EntityManager, emailAddressId: string): Promise<EmailAddress> {
    return tx.findOneOrFail(EmailAddress, emailAddressId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  }

  /** The cursor moves to the batch's last message, in the batch's transaction. */
  private advance(address: EmailAddress, items: Item[], outcomes: IngestOutcome[]): void {
    const last = items.at(-1)?.cursor;
    if (last && !isAtOrBefore(address, last)) {
      address.uidValidity = last.uidValidity;
      address.lastUid = last.uid;
    }
    address.processedCount += outcomes.filter((o) => o !== 'already-processed' && o !== 'expunged').length;
    address.health = MailboxHealth.OK;
    address.lastError = null;
    address.lastCheckAt = new Date();
  }
}

function tally(outcomes: IngestOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
}

function isAtOrBefore(address: EmailAddress, cursor: MailboxCursor): boolean {
  return (
    address.uidValidity === cursor.uidValidity &&
    address.lastUid != null &&
    BigInt(address.lastUid) >= BigInt(cursor.uid)
  );
}
