// One incoming mail, end to end: store it raw, classify it, thread it, and record it on a ticket,
// all in one transaction that also advances the mailbox cursor, so every message is handled
// exactly once across restarts and crashes. Events are published when that transaction commits.
import crypto from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { env } from '../../config/env.js';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { childLogger } from '../../lib/logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, User } from '../users/user.entity.js';
import type { UserService } from '../users/user.service.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TicketStatus } from '../tickets/ticket.enums.js';
import type { TicketService } from '../tickets/ticket.service.js';
import type { TimelineWriter } from '../timeline/timeline.writer.js';
import { TimelineEvent, TimelineKind } from '../timeline/timeline-event.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from '../attachments/attachment-storage.js';
import { safeFilename } from '../attachments/attachment.service.js';
import type { Actor } from '../actor.js';
import { EmailAddress, MailboxHealth } from './email-address.entity.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
import { mailDomain, syntheticMessageId } from './mail-identity.js';
import type { OutboxService } from './outbox.service.js';
import {
  classifyMail,
  findTicketToken,
  normaliseSubject,
  parseMail,
  referencedMessageIds,
  splitReply,
  type MailClassification,
  type ParsedMail,
} from './inbound/index.js';

const log = childLogger('mail-ingest');
const SENDER_FALLBACK_DAYS = 7;

export interface MailboxCursor {
  uidValidity: string;
  uid: string;
}

export type IngestOutcome =
  'duplicate' | 'already-processed' | 'own-loop' | 'bounce' | 'threaded' | 'created' | 'ignored-automatic' | 'held';

export class MailIngestService {
  constructor(
    private readonly orm: MikroORM,
    private readonly storage: AttachmentStorage,
    private readonly tickets: TicketService,
    private readonly users: UserService,
    private readonly writer: TimelineWriter,
    private readonly outbox: OutboxService,
  ) {}

  async ingest(emailAddressId: string, raw: Buffer, cursor: MailboxCursor | null): Promise<IngestOutcome> {
    const owner = await acrossTenants(this.orm.em).findOne(EmailAddress, emailAddressId);
    if (!owner) throw new Error(`email address ${emailAddressId} is gone`);
    const tenantId = owner.tenant.id;
    const parsed = await parseMail(raw);
    const verdict = classifyMail(parsed, { ownDomains: [mailDomain()] });
    const rawKey = newStorageKey(tenantId);
    await this.storage.put(rawKey, raw); // before the transaction: a crash leaves an orphan file, never a lost mail

    const em = forTenant(this.orm.em, tenantId);
    const outcome = await em.transactional(async (tx) => {
      const address = await tx.findOneOrFail(EmailAddress, emailAddressId, {
        lockMode: LockMode.PESSIMISTIC_WRITE,
        refresh: true,
      });
      if (cursor && isAtOrBefore(address, cursor)) return 'already-processed' as const;
      const result = await this.record(tx, address, parsed, verdict, raw, rawKey);
      if (cursor) {
        address.uidValidity = cursor.uidValidity;
        address.lastUid = cursor.uid;
      }
      address.processedCount += 1;
      address.health = MailboxHealth.OK;
      address.lastError = null;
      address.lastCheckAt = new Date();
      await tx.flush();
      return result;
    });
    if (outcome === 'already-processed' || outcome === 'duplicate') await this.storage.remove(rawKey);
    log.info({ emailAddressId, outcome, messageId: parsed.messageId }, 'mail ingested');
    return outcome;
  }

  private async record(
    tx: EntityManager,
    address: EmailAddress,
    mail: ParsedMail,
    verdict: MailClassification,
    raw: Buffer,
    rawKey: string,
  ): Promise<IngestOutcome> {
    const tenantId = address.tenant.id;
    const messageId = mail.messageId ?? syntheticMessageId(raw);
    const seen = await tx.findOne(MailMessage, { direction: MailDirection.IN, messageId });
    if (seen) {
      // The same mail to two of our addresses is one ticket that records both.
      if (!seen.receivedBy.includes(address.id)) seen.receivedBy = [...seen.receivedBy, address.id];
      return 'duplicate';
    }
    const message = tx.create(MailMessage, {
      tenant: tx.getReference(Tenant, tenantId),
      direction: MailDirection.IN,
      status: MailStatus.RECEIVED,
      emailAddress: address,
      messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      subject: mail.subject,
      fromAddress: mail.from?.address ?? '',
      fromName: mail.from?.name || null,
      toAddresses: mail.to.map((a) => a.address),
      ccAddresses: mail.cc.map((a) => a.address),
      textBody: mail.text,
      htmlBody: mail.html,
      rawKey,
      size: raw.length,
      classification: { ...verdict },
      parseProblems: mail.parseProblems,
      receivedBy: [address.id],
    });

    if (verdict.isOwnLoop) return 'own-loop';
    if (verdict.isBounce) {
      await this.recordBounce(tx, message, verdict);
      return 'bounce';
    }
    const ticket = await this.thread(tx, mail);
    const sender = mail.from?.address
      ? await this.users.findOrCreateCustomer(tx, tenantId, mail.from.address, mail.from.name)
      : null;
    const actor: Actor = {
      tenantId,
      userId: sender?.id ?? null,
      staff: sender ? sender.role !== Role.CUSTOMER : false,
    };
    const automatic = verdict.isAutoReply || verdict.isBulk;
    if (ticket) {
      await this.addToTicket(tx, ticket, message, mail, actor, automatic);
      return 'threaded';
    }
    if (automatic) return 'ignored-automatic'; // auto-replies and list mail never open tickets
    if (sender && (await this.overRateLimit(tx, sender))) {
      message.status = MailStatus.HELD;
      return 'held';
    }
    const created = await this.tickets.create(
      tx,
      { ...actor, staff: true },
      {
        title: mail.subject.trim() || '(no subject)',
        description: splitReply(mail.text).reply.slice(0, 100_000),
        requesterEmail: sender?.email ?? null,
        emailAddressId: address.id,
        parseProblem: mail.parseProblems.length > 0,
      },
    );
    // Created as the system on the sender's behalf; the mail itself is the customer's message.
    await this.addToTicket(tx, created, message, mail, actor, false);
    if (!verdict.suppressAutoResponse) await this.outbox.queueTicketCreatedAck(tx, created, message);
    return 'created';
  }

  /** Headers first, then the subject token, then a guarded sender fallback. */
  private async thread(tx: EntityManager, mail: ParsedMail): Promise<Ticket | null> {
    const referenced = referencedMessageIds(mail);
    if (referenced.length) {
      const known = await tx.find(
        MailMessage,
        { messageId: { $in: referenced }, ticket: { $ne: null } },
        { populate: ['ticket'] },
      );
      for (const id of referenced) {
        const match = known.find((m) => m.messageId === id);
        if (match?.ticket) return match.ticket;
      }
    }
    const tenant = await tx.findOneOrFail(Tenant, (await this.tenantOf(tx)).id);
    const number = findTicketToken(mail.subject, tenant.ticketSubjectPrefix);
    if (number !== null) {
      const byToken = await tx.findOne(Ticket, { number });
      if (byToken) return byToken;
    }
    const from = mail.from?.address?.toLowerCase();
    const subject = normaliseSubject(mail.subject);
    if (!from || !subject) return null;
    const since = new Date(Date.now() - SENDER_FALLBACK_DAYS * 86_400_000);
    const candidates = await tx.find(
      Ticket,
      { requester: { email: from }, status: { $nin: [TicketStatus.CLOSED] }, lastActivityAt: { $gte: since } },
      { orderBy: { lastActivityAt: 'desc' }, limit: 20 },
    );
    return candidates.find((t) => normaliseSubject(t.title) === subject) ?? null;
  }

  private async addToTicket(
    tx: EntityManager,
    ticket: Ticket,
    message: MailMessage,
    mail: ParsedMail,
    actor: Actor,
    automatic: boolean,
  ): Promise<void> {
    const locked = await this.writer.lockTicket(tx, ticket.id);
    const split = splitReply(mail.text);
    const event = await this.writer.record(tx, locked, actor, {
      kind: TimelineKind.EMAIL_IN,
      body: mail.text,
      data: {
        mailId: message.id,
        from: mail.from?.address ?? null,
        fromName: mail.from?.name ?? null,
        to: message.toAddresses,
        cc: message.ccAddresses,
        subject: mail.subject,
        visibleText: split.reply,
        hasQuoted: Boolean(split.quoted || split.signature),
        automatic,
        parseProblems: mail.parseProblems,
      },
    });
    message.ticket = locked;
    message.event = event;
    await this.storeAttachments(tx, locked, event.id, mail);
    // A customer's reply reopens; an auto-reply joins the ticket but changes nothing.
    if (
      !automatic &&
      !actor.staff &&
      [TicketStatus.PENDING_CUSTOMER, TicketStatus.RESOLVED, TicketStatus.CLOSED].includes(locked.status)
    ) {
      await this.tickets.changeStatus(tx, locked, actor, TicketStatus.OPEN);
    }
    await tx.flush();
    await this.writer.ticketChanged(tx, locked, 'UPDATED');
  }

  private async storeAttachments(tx: EntityManager, ticket: Ticket, eventId: string, mail: ParsedMail): Promise<void> {
    for (const part of mail.attachments) {
      const storageKey = newStorageKey(ticket.tenant.id);
      await this.storage.put(storageKey, part.content);
      tx.create(Attachment, {
        tenant: ticket.tenant,
        ticket,
        event: tx.getReference(TimelineEvent, eventId),
        filename: safeFilename(part.filename || 'attachment'),
        contentType: part.contentType || 'application/octet-stream',
        size: part.content.length,
        sha256: crypto.createHash('sha256').update(part.content).digest('hex'),
        storageKey,
        contentId: part.contentId ?? null,
      });
    }
  }

  private async recordBounce(tx: EntityManager, message: MailMessage, verdict: MailClassification): Promise<void> {
    const originalId = verdict.bounce?.originalMessageId;
    const original = originalId
      ? await tx.findOne(MailMessage, { direction: MailDirection.OUT, messageId: originalId })
      : null;
    if (!original) return;
    original.status = MailStatus.BOUNCED;
    original.lastError = [verdict.bounce?.status, verdict.bounce?.action].filter(Boolean).join(' ') || 'bounced';
    message.ticket = original.ticket ?? null;
    if (!original.ticket) return;
    const ticket = await this.writer.lockTicket(tx, original.ticket.id);
    message.event = await this.writer.record(
      tx,
      ticket,
      { tenantId: ticket.tenant.id, userId: null, staff: true },
      {
        kind: TimelineKind.EMAIL_IN,
        internal: true,
        body: `Delivery to ${(verdict.bounce?.recipients ?? original.toAddresses).join(', ')} failed: ${original.lastError}`,
        data: {
          bounce: true,
          mailId: message.id,
          failedMailId: original.id,
          subject: message.subject,
          from: message.fromAddress,
        },
      },
    );
  }

  private async overRateLimit(tx: EntityManager, sender: User): Promise<boolean> {
    const hourAgo = new Date(Date.now() - 3_600_000);
    const recent = await tx.count(Ticket, { requester: sender.id, createdAt: { $gte: hourAgo } });
    return recent >= env().MAIL_SENDER_TICKETS_PER_HOUR;
  }

  private async tenantOf(tx: EntityManager): Promise<{ id: string }> {
    const params = tx.getFilterParams<{ tenantId?: string }>('tenant');
    if (!params?.tenantId) throw new Error('mail ingestion without a tenant scope');
    return { id: params.tenantId };
  }
}

function isAtOrBefore(address: EmailAddress, cursor: MailboxCursor): boolean {
  return (
    address.uidValidity === cursor.uidValidity &&
    address.lastUid != null &&
    BigInt(address.lastUid) >= BigInt(cursor.uid)
  );
}
