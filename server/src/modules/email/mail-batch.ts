// The mails of one fetch, recorded in one transaction. Everything a mail's threading, dedupe and
// customer matching needs is loaded once for the whole batch (a handful of queries), each mail's
// rows are created in memory, and one flush writes them all with multi-row inserts; the events are
// then published with one statement, in order, delivered when the transaction commits. Later mails
// of a batch see the earlier ones (a reply in the same fetch threads to the ticket just opened).
import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { env } from '../../config/env.js';
import { flushInBulk, insertCreated } from '../../db/bulk-insert.js';
import type { PendingEvent, EventBus } from '../../events/event-bus.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, type User } from '../users/user.entity.js';
import type { CustomerDirectory, UserService } from '../users/user.service.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TicketStatus } from '../tickets/ticket.enums.js';
import type { TicketService } from '../tickets/ticket.service.js';
import type { Observation, TimelineWriter } from '../timeline/timeline.writer.js';
import { TimelineKind } from '../timeline/timeline-event.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';
import { newStorageKey, type AttachmentStorage } from '../attachments/attachment-storage.js';
import { safeFilename } from '../attachments/attachment.service.js';
import type { Actor } from '../actor.js';
import type { EmailAddress } from './email-address.entity.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
import { MailTemplateEvent } from './mail-template.entity.js';
import type { MailTemplateService } from './mail-templates.js';
import type { OutboxService } from './outbox.service.js';
import { syntheticMessageId } from './mail-identity.js';
import type { MailReader } from './mail-reader.js';
import {
  findTicketToken,
  normaliseSubject,
  referencedMessageIds,
  type MailClassification,
  type ReplySplit,
  type ParsedMail,
} from './inbound/index.js';

const SENDER_FALLBACK_DAYS = 7;

export type IngestOutcome =
  | 'duplicate'
  | 'already-processed'
  | 'expunged'
  | 'own-loop'
  | 'bounce'
  | 'threaded'
  | 'created'
  | 'ignored-automatic'
  | 'held';

/** A fetched mail, parsed, with its raw bytes and attachments stored, ready to be recorded. */
export interface PreparedMail {
  raw: Buffer;
  rawKey: string;
  mail: ParsedMail;
  verdict: MailClassification;
  /** The text's reply, quoted history and signature. */
  split: ReplySplit;
  messageId: string;
  /** Where each of `mail.attachments` is stored, in the same order. */
  attachmentFiles: StoredFile[];
}

interface StoredFile {
  storageKey: string;
  sha256: string;
}

/**
 * Parsed, classified, and its attachments stored (the raw bytes are already stored under
 * `rawKey`). Files are written before the transaction, outside it: a crash leaves orphan files,
 * never a ticket without its files.
 */
export async function prepareMail(
  reader: MailReader,
  storage: AttachmentStorage,
  tenantId: string,
  raw: Buffer,
  rawKey: string,
): Promise<PreparedMail> {
  const { mail, verdict, split } = await reader.read(raw);
  const attachmentFiles = await Promise.all(
    mail.attachments.map(async (part) => {
      const storageKey = newStorageKey(tenantId);
      await storage.put(storageKey, part.content);
      return { storageKey, sha256: crypto.createHash('sha256').update(part.content).digest('hex') };
    }),
  );
  const messageId = mail.messageId ?? syntheticMessageId(raw);
  return { raw, rawKey, mail, verdict, split, messageId, attachmentFiles };
}

/** Removes the stored files of a mail that was recorded on no ticket (the raw too if `withRaw`). */
export async function removeUnusedFiles(
  storage: AttachmentStorage,
  prepared: PreparedMail,
  outcome: IngestOutcome,
  withRaw: boolean,
): Promise<void> {
  const keys = outcome === 'created' || outcome === 'threaded' ? [] : prepared.attachmentFiles.map((f) => f.storageKey);
  if (withRaw) keys.push(prepared.rawKey);
  await Promise.all(keys.map((key) => storage.remove(key)));
}

/** The row of an incoming mail, as received. */
export function incomingMailRow(prepared: PreparedMail, tenant: Tenant, address: EmailAddress, status: MailStatus) {
  const { mail, verdict } = prepared;
  return {
    tenant,
    direction: MailDirection.IN,
    status,
    emailAddress: address,
    messageId: prepared.messageId,
    inReplyTo: mail.inReplyTo,
    references: mail.references,
    subject: mail.subject,
    fromAddress: mail.from?.address ?? '',
    fromName: mail.from?.name || null,
    toAddresses: mail.to.map((a) => a.address),
    ccAddresses: mail.cc.map((a) => a.address),
    textBody: mail.text,
    htmlBody: mail.html,
    rawKey: prepared.rawKey,
    size: prepared.raw.length,
    classification: { ...verdict },
    parseProblems: mail.parseProblems,
    receivedBy: [address.id],
  };
}

export interface BatchServices {
  bus: EventBus;
  storage: AttachmentStorage;
  tickets: TicketService;
  users: UserService;
  writer: TimelineWriter;
  outbox: OutboxService;
  templates: MailTemplateService;
  reader: MailReader;
}

export class MailBatch {
  private tenant!: Tenant;
  private receiptTemplate: { subject: string; body: string } | null = null;
  private customers!: CustomerDirectory;
  /** Incoming mail by Message-ID (dedupe), stored or recorded in this batch. */
  private readonly incoming = new Map<string, MailMessage>();
  /** Message-ID → ticket, for In-Reply-To/References (mail in and out). */
  private readonly threads = new Map<string, Ticket>();
  private readonly byNumber = new Map<number, Ticket>();
  /** Open tickets of each sender (by user id) active within the fallback window, newest first. */
  private readonly recentBySender = new Map<string, Ticket[]>();
  private readonly createdLastHour = new Map<string, number>();
  private readonly locked = new Set<string>();
  private readonly unnumbered: Ticket[] = [];
  /** Timeline events created in memory, in the order they happened (their ids must follow it). */
  private readonly staged: TimelineEvent[] = [];
  /** Staged events with their tickets and actors, for the writer's observers after the flush. */
  private toObserve: Observation[] = [];
  private readonly receipts: Array<{ ticket: Ticket; requester: User; incoming: MailMessage }> = [];
  private readonly updated = new Set<Ticket>();
  /** Bus messages in write order; functions because ids exist only after the flush. */
  private pending: Array<() => PendingEvent> = [];

  constructor(
    private readonly tx: EntityManager,
    private readonly address: EmailAddress,
    private readonly services: BatchServices,
  ) {}

  /** Everything the batch looks up, with one query per kind of thing. */
  async preload(mails: PreparedMail[]): Promise<void> {
    const { tx } = this;
    const tenantId = this.address.tenant.id;
    const referenced = [...new Set(mails.flatMap((m) => referencedMessageIds(m.mail)))];
    const senders = mails.map((m) => m.mail.from?.address).filter((a): a is string => Boolean(a));
    // Sent together: the transaction's connection runs them back to back, without a round trip
    // between one answer and the next question.
    const [tenant, template, seen, known, customers] = await Promise.all([
      tx.findOneOrFail(Tenant, tenantId),
      this.services.templates.forEvent(tx, MailTemplateEvent.TICKET_CREATED),
      tx.find(MailMessage, { direction: MailDirection.IN, messageId: { $in: mails.map((m) => m.messageId) } }),
      referenced.length
        ? tx.find(
            MailMessage,
            { messageId: { $in: referenced }, ticket: { $ne: null } },
            { fields: ['messageId', 'ticket'] },
          )
        : [],
      this.services.users.customerDirectory(tx, tenantId, senders),
    ]);
    this.tenant = tenant;
    this.receiptTemplate = template;
    this.customers = customers;
    for (const mail of seen) this.incoming.set(mail.messageId, mail);
    for (const m of known) if (m.ticket && !this.threads.has(m.messageId)) this.threads.set(m.messageId, m.ticket);
    const numbers = mails
      .map((m) => findTicketToken(m.mail.subject, tenant.ticketSubjectPrefix))
      .filter((n): n is number => n !== null);
    const storedSenders = customers.stored.map((u) => u.id);
    await Promise.all([
      numbers.length
        ? tx.find(Ticket, { number: { $in: numbers } }).then((tickets) => {
            for (const ticket of tickets) this.byNumber.set(ticket.number, ticket);
          })
        : null,
      storedSenders.length ? this.loadSenderHistory(storedSenders) : null,
    ]);
  }

  /**
   * Records one mail (in fetch order) and says what became of it. `held`: the stored row of a mail
   * an agent releases from review; it is recorded as it would have been, without the rate limit.
   */
  async record(prepared: PreparedMail, held?: MailMessage): Promise<IngestOutcome> {
    const { tx, address } = this;
    const { mail, verdict, messageId } = prepared;
    const seen = held ? undefined : this.incoming.get(messageId);
    if (seen) {
      // The same mail to two of our addresses is one ticket that records both.
      if (!seen.receivedBy.includes(address.id)) seen.receivedBy = [...seen.receivedBy, address.id];
      return 'duplicate';
    }
    const message = held ?? this.newMessage(prepared);
    if (held) {
      held.status = MailStatus.RECEIVED;
      held.lastError = null;
    }
    this.incoming.set(messageId, message);

    if (verdict.isOwnLoop) return 'own-loop';
    if (verdict.isBounce) {
      await this.recordBounce(message, verdict);
      return 'bounce';
    }
    const existing = this.thread(mail);
    const sender = mail.from?.address ? this.customers.get(mail.from.address, mail.from.name) : null;
    const actor: Actor = {
      tenantId: this.tenant.id,
      userId: sender?.id ?? null,
      staff: sender ? sender.role !== Role.CUSTOMER : false,
    };
    const automatic = verdict.isAutoReply || verdict.isBulk;
    if (existing) {
      await this.addToTicket(existing, message, prepared, actor, automatic, false);
      return 'threaded';
    }
    if (automatic) return 'ignored-automatic'; // auto-replies and list mail never open tickets
    if (!held && sender && (this.createdLastHour.get(sender.id) ?? 0) >= env().MAIL_SENDER_TICKETS_PER_HOUR) {
      message.status = MailStatus.HELD;
      return 'held';
    }
    // Created as the system on the sender's behalf; the mail itself is the customer's message.
    const { ticket, event } = this.services.tickets.stageFromMail(
      tx,
      { ...actor, staff: true },
      {
        title: mail.subject,
        description: prepared.split.reply,
        requester: sender,
        emailAddress: address,
        parseProblem: mail.parseProblems.length > 0,
      },
    );
    this.unnumbered.push(ticket);
    this.staged.push(event);
    this.toObserve.push({ ticket, event, actor });
    this.locked.add(ticket.id); // new in this transaction: nobody else can write to it yet
    this.pending.push(() => this.services.writer.published(event));
    await this.addToTicket(ticket, message, prepared, actor, false, true);
    this.pending.push(() => ({
      name: 'ticket.changed',
      payload: { tenantId: this.tenant.id, ticketId: ticket.id, change: 'CREATED' },
    }));
    if (sender) {
      this.createdLastHour.set(sender.id, (this.createdLastHour.get(sender.id) ?? 0) + 1);
      this.recentBySender.set(sender.id, [ticket, ...(this.recentBySender.get(sender.id) ?? [])]);
      if (!verdict.suppressAutoResponse && this.receiptTemplate) {
        this.receipts.push({ ticket, requester: sender, incoming: message });
      }
    }
    return 'created';
  }

  private newMessage(prepared: PreparedMail): MailMessage {
    return this.tx.create(MailMessage, incomingMailRow(prepared, this.tenant, this.address, MailStatus.RECEIVED));
  }

  /** Numbers the new tickets, queues their receipts, writes everything and publishes the events. */
  async finish(): Promise<void> {
    await this.flushAndPublish(async () => {
      for (const { ticket, requester, incoming } of this.receipts.splice(0)) {
        const receipt = await this.services.outbox.stageTicketCreatedAck(
          this.tx,
          { tenant: this.tenant, template: this.receiptTemplate!, address: this.address },
          ticket,
          requester,
          incoming,
        );
        this.pending.push(() => ({ name: 'mail.queued', payload: { tenantId: this.tenant.id, mailId: receipt.id } }));
      }
      for (const ticket of this.updated) {
        this.pending.push(() => ({
          name: 'ticket.changed',
          payload: { tenantId: this.tenant.id, ticketId: ticket.id, change: 'UPDATED' },
        }));
      }
      this.updated.clear();
    });
  }

  /** Headers first, then the subject token, then a guarded sender fallback. */
  private thread(mail: ParsedMail): Ticket | null {
    for (const id of referencedMessageIds(mail)) {
      const ticket = this.threads.get(id);
      if (ticket) return ticket;
    }
    const number = findTicketToken(mail.subject, this.tenant.ticketSubjectPrefix);
    const byToken = number !== null ? this.byNumber.get(number) : undefined;
    if (byToken) return byToken;
    const from = mail.from?.address;
    const subject = normaliseSubject(mail.subject);
    const sender = from ? this.customers.get(from, mail.from?.name) : null;
    if (!sender || !subject) return null;
    const candidates = this.recentBySender.get(sender.id) ?? [];
    return candidates.find((t) => normaliseSubject(t.title) === subject) ?? null;
  }

  private async addToTicket(
    target: Ticket,
    message: MailMessage,
    prepared: PreparedMail,
    actor: Actor,
    automatic: boolean,
    isNew: boolean,
  ): Promise<void> {
    const { tx, services } = this;
    const { mail, split } = prepared;
    const ticket = isNew ? target : await this.lock(target);
    const event = services.writer.stage(tx, ticket, actor, {
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
    this.staged.push(event);
    // The first mail of a new ticket is its description, as a ticket made in the app: observing its
    // TICKET_CREATED starts the clocks, and observing this mail too would only repeat the work.
    if (!isNew) this.toObserve.push({ ticket, event, actor });
    message.ticket = ticket;
    message.event = event;
    this.threads.set(message.messageId, ticket);
    this.pending.push(() => services.writer.published(event));
    this.storeAttachments(ticket, event, prepared);
    if (isNew) return;
    this.updated.add(ticket);
    // A customer's reply reopens; an auto-reply joins the ticket but changes nothing.
    if (
      !automatic &&
      !actor.staff &&
      [TicketStatus.PENDING_CUSTOMER, TicketStatus.RESOLVED, TicketStatus.CLOSED].includes(ticket.status)
    ) {
      await this.flushAndPublish(); // the reopening's event comes after what this batch wrote so far
      await services.tickets.changeStatus(tx, ticket, actor, TicketStatus.OPEN);
    }
  }

  /** The ticket row lock of TimelineWriter, taken once per ticket and batch. */
  private async lock(ticket: Ticket): Promise<Ticket> {
    if (this.locked.has(ticket.id)) return ticket;
    const locked = await this.services.writer.lockTicket(this.tx, ticket.id);
    this.locked.add(locked.id);
    return locked;
  }

  private storeAttachments(ticket: Ticket, event: TimelineEvent, prepared: PreparedMail): void {
    prepared.mail.attachments.forEach((part, i) => {
      const file = prepared.attachmentFiles[i]!;
      this.tx.create(Attachment, {
        tenant: this.tenant,
        ticket,
        event,
        filename: safeFilename(part.filename || 'attachment'),
        contentType: part.contentType || 'application/octet-stream',
        size: part.content.length,
        sha256: file.sha256,
        storageKey: file.storageKey,
        contentId: part.contentId ?? null,
      });
    });
  }

  private async recordBounce(message: MailMessage, verdict: MailClassification): Promise<void> {
    const { tx, services } = this;
    const originalId = verdict.bounce?.originalMessageId;
    const original = originalId
      ? await tx.findOne(MailMessage, { direction: MailDirection.OUT, messageId: originalId })
      : null;
    if (!original) return;
    original.status = MailStatus.BOUNCED;
    original.lastError = [verdict.bounce?.status, verdict.bounce?.action].filter(Boolean).join(' ') || 'bounced';
    message.ticket = original.ticket ?? null;
    if (!original.ticket) return;
    const ticket = await this.lock(original.ticket);
    await this.flushAndPublish();
    message.event = await services.writer.record(
      tx,
      ticket,
      { tenantId: this.tenant.id, userId: null, staff: true },
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

  /**
   * Writes what is staged (new tickets numbered first, then the receipts and the observers' changes)
   * and publishes its events, in order.
   */
  private async flushAndPublish(beforeFlush?: () => Promise<void>): Promise<void> {
    await this.services.tickets.numberStaged(this.tx, this.tenant.id, this.unnumbered.splice(0));
    await this.services.writer.identify(this.tx, this.staged.splice(0));
    // The rows so far go to PostgreSQL while the receipts are rendered and the clocks started.
    const inserted = insertCreated(this.tx);
    let failure: unknown = null;
    try {
      await beforeFlush?.();
      await this.services.writer.observed(this.tx, this.toObserve.splice(0));
    } catch (error) {
      failure = error;
    }
    await inserted; // a failed insert is the cause of whatever failed after it
    if (failure) throw failure;
    await flushInBulk(this.tx);
    const events = this.pending.map((make) => make());
    this.pending = [];
    await this.services.bus.publishAllInTransaction(this.tx, events);
  }

  /** Open tickets of known senders for the fallback, and how many tickets each opened this hour. */
  private async loadSenderHistory(userIds: string[]): Promise<void> {
    const since = new Date(Date.now() - SENDER_FALLBACK_DAYS * 86_400_000);
    const [recent, counts] = await Promise.all([
      this.tx.find(
        Ticket,
        { requester: { $in: userIds }, status: { $nin: [TicketStatus.CLOSED] }, lastActivityAt: { $gte: since } },
        { orderBy: { lastActivityAt: 'desc' }, limit: 20 * userIds.length },
      ),
      this.tx.execute<Array<{ id: string; n: number }>>(
        `select requester_id as id, count(*)::int as n from tickets
         where tenant_id = ? and requester_id in (select jsonb_array_elements_text(?::jsonb)::uuid) and created_at >= ?
         group by requester_id`,
        [this.tenant.id, JSON.stringify(userIds), new Date(Date.now() - 3_600_000)],
      ),
    ]);
    for (const ticket of recent) {
      const id = ticket.requester?.id;
      if (!id) continue;
      const list = this.recentBySender.get(id) ?? [];
      if (list.length < 20) list.push(ticket);
      this.recentBySender.set(id, list);
    }
    for (const row of counts) this.createdLastHour.set(row.id, row.n);
  }
}
