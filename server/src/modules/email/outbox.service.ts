// The outbox: every outgoing mail is a MailMessage row written in the transaction of the change it
// reports, and a worker sends due rows with retries and exponential backoff. An SMTP outage or a
// crash loses nothing; a mail is marked sent only after the server accepted it.
import { LockMode, wrap } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { childLogger } from '../../lib/logger.js';
import { env } from '../../config/env.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Company } from '../companies/company.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { TimelineEvent } from '../timeline/timeline-event.entity.js';
import { plainMentions } from '../timeline/mentions.js';
import { EmailAddress } from './email-address.entity.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
import { newMessageId } from './mail-identity.js';
import { LOOP_HEADER } from './inbound/index.js';
import { addressTransport, serverMessage } from './mail-connections.js';
import { SmtpIdentity } from './smtp-identity.entity.js';
import { identityTransport } from './smtp-identity.service.js';
import { MailTemplateEvent } from './mail-template.entity.js';
import { renderTemplate, type MailTemplateService, type TemplateVariables } from './mail-templates.js';

const log = childLogger('outbox');
export const MAX_ATTEMPTS = 10;

export function backoffMs(attempt: number, baseSeconds = env().MAIL_RETRY_BASE_SECONDS): number {
  // 30 s, 1 min, 2 min, … capped at 1 h (by default).
  return Math.min(baseSeconds * 1000 * 2 ** Math.max(attempt - 1, 0), 3_600_000);
}

export class OutboxService {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly templates: MailTemplateService,
  ) {}

  /**
   * The batched receipt (mail ingestion): rendered from rows the caller already holds, created but
   * neither flushed nor published (the caller publishes `mail.queued` after its one flush).
   */
  async stageTicketCreatedAck(
    tx: EntityManager,
    loaded: { tenant: Tenant; template: { subject: string; body: string }; address: EmailAddress },
    ticket: Ticket,
    requester: User,
    incoming: MailMessage,
  ): Promise<MailMessage> {
    const company = requester.company && wrap(requester.company).isInitialized() ? requester.company : null;
    const rendered = await renderTemplate(
      loaded.template,
      ticketVariables(loaded.tenant, ticket, { requester, assignee: null, company }, {}),
    );
    const token = `[${loaded.tenant.ticketSubjectPrefix}${ticket.number}]`;
    return tx.create(MailMessage, {
      tenant: loaded.tenant,
      direction: MailDirection.OUT,
      status: MailStatus.QUEUED,
      emailAddress: loaded.address,
      ticket,
      messageId: newMessageId(),
      inReplyTo: incoming.messageId,
      references: [incoming.messageId],
      subject: rendered.subject.includes(token) ? rendered.subject : `${rendered.subject} ${token}`,
      fromAddress: loaded.address.address,
      fromName: loaded.address.displayName,
      toAddresses: [requester.email],
      textBody: rendered.text,
      autoSubmitted: true,
      nextAttemptAt: new Date(),
    });
  }

  /**
   * An agent's public reply, mailed to the requester from the ticket's address, or from the agent's
   * own SMTP identity when they configured one (seed 004; the outbox falls back to the address).
   */
  async queueReply(tx: EntityManager, ticket: Ticket, comment: TimelineEvent): Promise<MailMessage | null> {
    const template = await this.templates.forEvent(tx, MailTemplateEvent.COMMENT_ADDED);
    if (!template) return null;
    const variables = await this.variables(tx, ticket, { comment: plainMentions(comment.body ?? '') });
    const identity = comment.actor
      ? await tx.findOne(SmtpIdentity, { user: comment.actor.id }, { populate: ['user'] })
      : null;
    return this.queue(tx, ticket, await renderTemplate(template, variables), {
      event: comment,
      autoSubmitted: false,
      identity,
    });
  }

  /** The receipt for a ticket opened by mail (never for auto-replies, bounces or lists: see ingest). */
  async queueTicketCreatedAck(tx: EntityManager, ticket: Ticket, incoming: MailMessage): Promise<MailMessage | null> {
    const template = await this.templates.forEvent(tx, MailTemplateEvent.TICKET_CREATED);
    if (!template) return null;
    const rendered = await renderTemplate(template, await this.variables(tx, ticket, {}));
    return this.queue(tx, ticket, rendered, { autoSubmitted: true, replyTo: incoming });
  }

  /** A template mail to the requester sent by an automation rule, in the rule's transaction. */
  async queueTemplateMail(tx: EntityManager, ticket: Ticket, event: MailTemplateEvent): Promise<MailMessage | null> {
    const template = await this.templates.forEvent(tx, event);
    if (!template) return null;
    const rendered = await renderTemplate(template, await this.variables(tx, ticket, {}));
    return this.queue(tx, ticket, rendered, { autoSubmitted: true });
  }

  /** The password-reset link (platform mail through the same outbox), from the tenant's default address. */
  async queuePasswordReset(user: User, token: string): Promise<MailMessage | null> {
    const em = forTenant(this.orm.em, user.tenant.id);
    return em.transactional(async (tx) => {
      const template = await this.templates.forEvent(tx, MailTemplateEvent.PASSWORD_RESET);
      const address = await tx.findOne(
        EmailAddress,
        { isActive: true },
        { orderBy: { isDefault: 'desc', createdAt: 'asc' } },
      );
      if (!template || !address) {
        log.warn(
          { userId: user.id },
          'password reset requested but the tenant has no active support address to send from',
        );
        return null;
      }
      const tenant = await tx.findOneOrFail(Tenant, user.tenant.id);
      const publicUrl = env().PUBLIC_URL ?? `http://localhost:${env().PORT}`;
      const rendered = await renderTemplate(template, {
        ...(await this.blankVariables(tenant)),
        created_by: user.name,
        reset_url: `${publicUrl}/reset-password?token=${encodeURIComponent(token)}`,
      });
      const mail = tx.create(MailMessage, {
        tenant,
        direction: MailDirection.OUT,
        status: MailStatus.QUEUED,
        emailAddress: address,
        messageId: newMessageId(),
        subject: rendered.subject,
        fromAddress: address.address,
        fromName: address.displayName,
        toAddresses: [user.email],
        textBody: rendered.text,
        autoSubmitted: true,
        nextAttemptAt: new Date(),
      });
      await tx.flush();
      await this.bus.publishInTransaction(tx, 'mail.queued', { tenantId: tenant.id, mailId: mail.id });
      return mail;
    });
  }

  /**
   * Automated mail to one person that is not part of a ticket's thread (agent notifications and
   * digests), from the tenant's default address, marked Auto-Submitted. Null when the tenant has
   * no active address to send from.
   */
  async queueAutomated(
    tx: EntityManager,
    tenantId: string,
    to: string,
    rendered: { subject: string; text: string },
  ): Promise<MailMessage | null> {
    return (await this.queueAutomatedMany(tx, tenantId, [{ to, rendered }]))[0] ?? null;
  }

  /** Many automated mails at once (a notification to every agent): one address lookup, one flush. */
  async queueAutomatedMany(
    tx: EntityManager,
    tenantId: string,
    mails: Array<{ to: string; rendered: { subject: string; text: string } }>,
  ): Promise<Array<MailMessage | null>> {
    if (mails.length === 0) return [];
    const address = await tx.findOne(
      EmailAddress,
      { isActive: true },
      { orderBy: { isDefault: 'desc', createdAt: 'asc' } },
    );
    if (!address) return mails.map(() => null);
    const queued = mails.map(({ to, rendered }) =>
      tx.create(MailMessage, {
        tenant: tx.getReference(Tenant, tenantId),
        direction: MailDirection.OUT,
        status: MailStatus.QUEUED,
        emailAddress: address,
        messageId: newMessageId(),
        subject: rendered.subject,
        fromAddress: address.address,
        fromName: address.displayName,
        toAddresses: [to],
        textBody: rendered.text,
        autoSubmitted: true,
        nextAttemptAt: new Date(),
      }),
    );
    await tx.flush();
    // One wake-up is enough for the sender, which sends everything that is due.
    await this.bus.publishInTransaction(tx, 'mail.queued', { tenantId, mailId: queued[0]!.id });
    return queued;
  }

  /** The variables every template knows, blank, for mail that is not about one customer's ticket. */
  async baseVariables(tx: EntityManager, tenantId: string): Promise<TemplateVariables> {
    return this.blankVariables(await tx.findOneOrFail(Tenant, tenantId));
  }

  private async blankVariables(tenant: Tenant): Promise<TemplateVariables> {
    return {
      ticket_number: '',
      subject: '',
      description: '',
      status: '',
      priority: '',
      urgency: '',
      importance: '',
      assigned_to: '',
      created_by: '',
      created_at: new Date().toISOString(),
      client_name: '',
      site_name: tenant.name,
      ticket_url: '',
      comment: '',
      resolution_notes: '',
    };
  }

  private async queue(
    tx: EntityManager,
    ticket: Ticket,
    rendered: { subject: string; text: string },
    options: {
      event?: TimelineEvent;
      autoSubmitted: boolean;
      replyTo?: MailMessage;
      identity?: SmtpIdentity | null;
    },
  ): Promise<MailMessage | null> {
    const requester = ticket.requester ? await tx.findOne(User, ticket.requester.id) : null;
    if (!requester?.email) return null;
    const address =
      (ticket.emailAddress ? await tx.findOne(EmailAddress, ticket.emailAddress.id) : null) ??
      (await tx.findOne(EmailAddress, { isActive: true }, { orderBy: { isDefault: 'desc', createdAt: 'asc' } }));
    if (!address) return null; // no support address yet: the reply stays on the ticket only
    const thread = await tx.find(
      MailMessage,
      { ticket: ticket.id },
      { orderBy: { createdAt: 'asc' }, fields: ['messageId', 'direction'] },
    );
    const previous = options.replyTo ?? thread.at(-1) ?? null;
    const tenant = await tx.findOneOrFail(Tenant, ticket.tenant.id);
    const token = `[${tenant.ticketSubjectPrefix}${ticket.number}]`;
    const subject = rendered.subject.includes(token) ? rendered.subject : `${rendered.subject} ${token}`;
    const mail = tx.create(MailMessage, {
      tenant,
      direction: MailDirection.OUT,
      status: MailStatus.QUEUED,
      emailAddress: address,
      ticket,
      event: options.event ?? null,
      messageId: newMessageId(),
      inReplyTo: previous?.messageId ?? null,
      references: thread.map((m) => m.messageId).slice(-20),
      subject: previous && !options.autoSubmitted && !/^re:/i.test(subject) ? `Re: ${subject}` : subject,
      fromAddress: options.identity?.fromAddress ?? address.address,
      fromName: options.identity ? (options.identity.fromName ?? options.identity.user.name) : address.displayName,
      smtpUserId: options.identity?.user.id ?? null,
      toAddresses: [requester.email],
      textBody: rendered.text,
      autoSubmitted: options.autoSubmitted,
      nextAttemptAt: new Date(),
    });
    await tx.flush();
    await this.bus.publishInTransaction(tx, 'mail.queued', { tenantId: tenant.id, mailId: mail.id });
    return mail;
  }

  private async variables(
    tx: EntityManager,
    ticket: Ticket,
    extra: Partial<TemplateVariables>,
  ): Promise<TemplateVariables> {
    const [tenant, requester, assignee, company] = await Promise.all([
      tx.findOneOrFail(Tenant, ticket.tenant.id),
      ticket.requester ? tx.findOne(User, ticket.requester.id) : null,
      ticket.assignee ? tx.findOne(User, ticket.assignee.id) : null,
      ticket.company ? tx.findOne(Company, ticket.company.id) : null,
    ]);
    return ticketVariables(tenant, ticket, { requester, assignee, company }, extra);
  }

  /** Sends what is due. Rows are claimed with SKIP LOCKED, so several workers never send one mail twice. */
  async sendDue(limit = 20): Promise<{ sent: number; failed: number; retried: number }> {
    const result = { sent: 0, failed: 0, retried: 0 };
    const claimed = await acrossTenants(this.orm.em).transactional(async (tx) => {
      const due = await tx.find(
        MailMessage,
        { direction: MailDirection.OUT, status: MailStatus.QUEUED, nextAttemptAt: { $lte: new Date() } },
        { orderBy: { nextAttemptAt: 'asc' }, limit, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      for (const mail of due) {
        mail.attempts += 1;
        // A lease: if this worker dies mid-send, the mail becomes due again after the backoff.
        mail.nextAttemptAt = new Date(Date.now() + backoffMs(mail.attempts));
      }
      return due.map((m) => ({ id: m.id, tenantId: m.tenant.id }));
    });
    for (const { id, tenantId } of claimed) {
      const outcome = await this.sendOne(tenantId, id);
      result[outcome] += 1;
    }
    return result;
  }

  private async sendOne(tenantId: string, mailId: string): Promise<'sent' | 'failed' | 'retried'> {
    const em = forTenant(this.orm.em, tenantId);
    const mail = await em.findOneOrFail(MailMessage, mailId, { populate: ['emailAddress'] });
    const address = mail.emailAddress;
    if (!address) {
      mail.status = MailStatus.FAILED;
      mail.lastError = 'The support address was deleted';
      await em.flush();
      return 'failed';
    }
    if (mail.smtpUserId) {
      const identity = await em.findOne(SmtpIdentity, { user: mail.smtpUserId });
      if (identity && (await this.sendAs(identity, mail, address))) {
        await em.flush();
        return 'sent';
      }
      // No identity any more, or it failed: the ticket's address sends it (seed 004's fallback).
      mail.smtpUserId = null;
      mail.fromAddress = address.address;
      mail.fromName = address.displayName;
    }
    const transport = addressTransport(address);
    try {
      await transport.sendMail(envelope(mail, address));
      markSent(mail);
      await em.flush();
      log.info({ mailId, to: mail.toAddresses.length }, 'mail sent');
      return 'sent';
    } catch (error) {
      const permanent = Number((error as { responseCode?: number }).responseCode) >= 500;
      mail.lastError = serverMessage(error);
      if (permanent || mail.attempts >= MAX_ATTEMPTS) mail.status = MailStatus.FAILED;
      await em.flush();
      log.warn({ mailId, attempt: mail.attempts, permanent, err: mail.lastError }, 'sending failed');
      return mail.status === MailStatus.FAILED ? 'failed' : 'retried';
    } finally {
      transport.close();
    }
  }

  /** Through the agent's own server; false (the error kept for them to see) when it fails. */
  private async sendAs(identity: SmtpIdentity, mail: MailMessage, address: EmailAddress): Promise<boolean> {
    const transport = identityTransport(identity);
    try {
      await transport.sendMail(envelope(mail, address));
      identity.lastError = null;
      identity.lastUsedAt = new Date();
      markSent(mail);
      log.info({ mailId: mail.id, as: identity.fromAddress }, "mail sent through the agent's own SMTP");
      return true;
    } catch (error) {
      identity.lastError = serverMessage(error);
      log.warn({ mailId: mail.id, err: identity.lastError }, "the agent's own SMTP failed: sending from the address");
      return false;
    } finally {
      transport.close();
    }
  }
}

/** Seed 001's variables for a ticket, from rows already loaded. */
export function ticketVariables(
  tenant: Tenant,
  ticket: Ticket,
  people: { requester: User | null; assignee: User | null; company: Company | null },
  extra: Partial<TemplateVariables>,
): TemplateVariables {
  const publicUrl = env().PUBLIC_URL ?? `http://localhost:${env().PORT}`;
  return {
    ticket_number: `[${tenant.ticketSubjectPrefix}${ticket.number}]`,
    subject: ticket.title,
    description: ticket.description,
    status: ticket.status,
    priority: `${ticket.urgency} / ${ticket.importance}`,
    urgency: ticket.urgency,
    importance: ticket.importance,
    assigned_to: people.assignee?.name ?? tenant.name,
    created_by: people.requester?.name ?? '',
    created_at: ticket.createdAt.toISOString(),
    client_name: people.company?.name ?? '',
    site_name: tenant.name,
    ticket_url: `${publicUrl}/portal/tickets/${ticket.id}`,
    comment: '',
    resolution_notes: '',
    ...extra,
  };
}

function markSent(mail: MailMessage): void {
  mail.status = MailStatus.SENT;
  mail.sentAt = new Date();
  mail.lastError = null;
  mail.nextAttemptAt = null;
}

/** What goes to the SMTP server. Mail from an agent's own address asks for replies to the ticket's. */
function envelope(mail: MailMessage, address: EmailAddress) {
  const ownIdentity = mail.fromAddress !== address.address;
  return {
    from: { name: mail.fromName ?? address.displayName, address: mail.fromAddress },
    replyTo: ownIdentity ? { name: address.displayName, address: address.address } : undefined,
    to: mail.toAddresses,
    cc: mail.ccAddresses.length ? mail.ccAddresses : undefined,
    subject: mail.subject,
    text: mail.textBody ?? '',
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? undefined,
    references: mail.references.length ? mail.references : undefined,
    headers: {
      // Recognised when it comes back to any of our addresses (see inbound/classify.ts).
      [LOOP_HEADER]: mail.fromAddress,
      ...(mail.autoSubmitted ? { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' } : {}),
    },
  };
}
