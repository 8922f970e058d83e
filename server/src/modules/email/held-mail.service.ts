// Held mail under review: mail over the per-sender rate limit, or that the database refused even
// alone. Releasing records it as ingestion would have (threaded, or a new ticket with its receipt),
// without the rate limit; discarding keeps it in the mail log and never makes a ticket of it.
import type { Readable } from 'node:stream';
import { FlushMode, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { childLogger } from '../../lib/logger.js';
import type { AttachmentStorage } from '../attachments/attachment-storage.js';
import { EmailAddress } from './email-address.entity.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
import { MailBatch, prepareMail, removeUnusedFiles, type BatchServices, type IngestOutcome } from './mail-batch.js';

const log = childLogger('held-mail');

export class HeldMailService {
  constructor(
    private readonly storage: AttachmentStorage,
    private readonly services: BatchServices,
  ) {}

  list(em: EntityManager): Promise<MailMessage[]> {
    return em.find(
      MailMessage,
      { direction: MailDirection.IN, status: MailStatus.HELD },
      { orderBy: { createdAt: 'desc' }, limit: 200, populate: ['emailAddress'] },
    );
  }

  async release(em: EntityManager, mailId: string): Promise<{ mail: MailMessage; outcome: IngestOutcome }> {
    const held = await this.heldMail(em, mailId);
    if (!held.rawKey) throw new DomainError('BAD_USER_INPUT', 'The raw mail is missing; discard it instead', 'id');
    if (!held.emailAddress) {
      throw new DomainError('BAD_USER_INPUT', 'The address that received it was deleted; discard it instead', 'id');
    }
    const raw = await readAll(this.storage.read(held.rawKey));
    const prepared = await prepareMail(this.services.reader, this.storage, held.tenant.id, raw, held.rawKey);
    prepared.messageId = held.messageId;
    const addressId = held.emailAddress.id;
    let outcome: IngestOutcome = 'held'; // until recorded: its attachment files are not kept
    try {
      const released = await em.transactional(
        async (tx) => {
          const address = await tx.findOneOrFail(EmailAddress, addressId, { lockMode: LockMode.PESSIMISTIC_WRITE });
          const row = await tx.findOneOrFail(MailMessage, held.id, {
            lockMode: LockMode.PESSIMISTIC_WRITE,
            refresh: true,
          });
          if (row.status !== MailStatus.HELD)
            throw new DomainError('BAD_USER_INPUT', 'This mail was already reviewed', 'id');
          const batch = new MailBatch(tx, address, this.services);
          await batch.preload([prepared]);
          const recorded = await batch.record(prepared, row);
          await batch.finish();
          return { mail: row, outcome: recorded };
        },
        { flushMode: FlushMode.COMMIT },
      );
      outcome = released.outcome;
      return released;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      log.error({ mailId, err: (error as Error).message }, 'releasing held mail failed');
      throw new DomainError('BAD_USER_INPUT', `Could not be recorded: ${(error as Error).message}`, 'id');
    } finally {
      await removeUnusedFiles(this.storage, prepared, outcome, false);
    }
  }

  async discard(em: EntityManager, mailId: string): Promise<MailMessage> {
    const held = await this.heldMail(em, mailId);
    held.status = MailStatus.DISCARDED;
    await em.flush();
    return held;
  }

  private async heldMail(em: EntityManager, mailId: string): Promise<MailMessage> {
    const held = await em.findOne(MailMessage, { id: mailId, direction: MailDirection.IN });
    if (!held) throw new DomainError('NOT_FOUND', 'No such mail', 'id');
    if (held.status !== MailStatus.HELD)
      throw new DomainError('BAD_USER_INPUT', 'This mail was already reviewed', 'id');
    return held;
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
