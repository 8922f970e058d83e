import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Role, User, isStaffRole } from '../users/user.entity.js';
import type { Actor } from '../actor.js';
import type { TicketService } from '../tickets/ticket.service.js';
import { TicketStatus } from '../tickets/ticket.enums.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { CommentRevision, TimelineEvent, TimelineKind } from './timeline-event.entity.js';
import type { TimelineWriter } from './timeline.writer.js';
import { mentionedUserIds } from './mentions.js';
import type { AttachmentService } from '../attachments/attachment.service.js';
import type { OutboxService } from '../email/outbox.service.js';

export interface AddCommentData {
  ticketId: string;
  body: string;
  internal: boolean;
  attachmentIds?: string[] | null;
  /** Where the comment came from (e.g. a team chat message), kept in the event's data as `source`. */
  reference?: Record<string, string> | null;
}

export const MAX_COMMENT = 100_000;

const REOPENED_BY_CUSTOMER: readonly TicketStatus[] = [
  TicketStatus.PENDING_CUSTOMER,
  TicketStatus.RESOLVED,
  TicketStatus.CLOSED,
];

export class TimelineService {
  constructor(
    private readonly writer: TimelineWriter,
    private readonly tickets: TicketService,
    private readonly notifications: NotificationService,
    private readonly attachments: AttachmentService,
    private readonly outbox: OutboxService,
  ) {}

  async addComment(em: EntityManager, actor: Actor, data: AddCommentData): Promise<TimelineEvent> {
    const body = data.body.trim();
    const attachmentIds = data.attachmentIds ?? [];
    if (!body && attachmentIds.length === 0)
      throw new DomainError('BAD_USER_INPUT', 'A comment needs some text', 'body');
    if (body.length > MAX_COMMENT)
      throw new DomainError('BAD_USER_INPUT', `Comments are limited to ${MAX_COMMENT} characters`, 'body');
    if (data.internal && !actor.staff) throw new DomainError('FORBIDDEN', 'Customers cannot write internal notes');
    return em.transactional(async (tx) => {
      const ticket = await this.writer.lockTicket(tx, data.ticketId);
      const mentions = actor.staff ? await this.validMentions(tx, body) : [];
      const event = await this.writer.record(tx, ticket, actor, {
        kind: data.internal ? TimelineKind.NOTE : TimelineKind.COMMENT,
        body,
        internal: data.internal,
        data: {
          ...(mentions.length ? { mentions } : {}),
          ...(data.reference ? { source: data.reference } : {}),
        },
      });
      const attached = await this.attachments.attachToEvent(tx, actor, event, attachmentIds);
      if (attached.length) event.data = { ...event.data, attachmentIds: attached.map((a) => a.id) };
      await this.applyReplySideEffects(tx, ticket, actor, data.internal);
      // A public agent reply goes to the requester by mail, in this same transaction (the outbox).
      if (actor.staff && !data.internal) await this.outbox.queueReply(tx, ticket, event);
      for (const userId of mentions) {
        if (userId === actor.userId) continue;
        await this.notifications.notify(tx, actor.tenantId, userId, 'MENTION', ticket, event);
      }
      await ticket.watchers.init();
      for (const watcher of ticket.watchers.getItems()) {
        if (watcher.id === actor.userId || mentions.includes(watcher.id)) continue;
        await this.notifications.notify(tx, actor.tenantId, watcher.id, 'WATCHED_COMMENT', ticket, event);
      }
      await tx.flush();
      await this.writer.ticketChanged(tx, ticket, 'UPDATED');
      return event;
    });
  }

  /** Edits keep the earlier text as a revision; the change itself is an event of its own. */
  async editComment(em: EntityManager, actor: Actor, eventId: string, bodyInput: string): Promise<TimelineEvent> {
    const body = bodyInput.trim();
    if (!body) throw new DomainError('BAD_USER_INPUT', 'A comment needs some text', 'body');
    if (body.length > MAX_COMMENT)
      throw new DomainError('BAD_USER_INPUT', `Comments are limited to ${MAX_COMMENT} characters`, 'body');
    return em.transactional(async (tx) => {
      const comment = await this.ownComment(tx, actor, eventId, false);
      const ticket = await this.writer.lockTicket(tx, comment.ticket.id);
      if (comment.body === body) return comment;
      tx.create(CommentRevision, {
        tenant: tx.getReference(Tenant, actor.tenantId),
        comment,
        body: comment.body ?? '',
        editedBy: actor.userId ? tx.getReference(User, actor.userId) : null,
      });
      comment.body = body;
      comment.editedAt = new Date();
      await this.writer.record(tx, ticket, actor, {
        kind: TimelineKind.COMMENT_EDITED,
        internal: comment.internal,
        target: comment,
      });
      await this.writer.ticketChanged(tx, ticket, 'UPDATED');
      return comment;
    });
  }

  async deleteComment(em: EntityManager, actor: Actor, eventId: string): Promise<TimelineEvent> {
    return em.transactional(async (tx) => {
      const comment = await this.ownComment(tx, actor, eventId, true);
      const ticket = await this.writer.lockTicket(tx, comment.ticket.id);
      if (comment.deletedAt) return comment;
      comment.deletedAt = new Date();
      await this.writer.record(tx, ticket, actor, {
        kind: TimelineKind.COMMENT_DELETED,
        internal: comment.internal,
        target: comment,
      });
      await this.writer.ticketChanged(tx, ticket, 'UPDATED');
      return comment;
    });
  }

  async restoreComment(em: EntityManager, actor: Actor & { role: Role }, eventId: string): Promise<TimelineEvent> {
    if (actor.role !== Role.ADMIN && actor.role !== Role.SUPERADMIN) {
      throw new DomainError('FORBIDDEN', 'Only admins can restore deleted comments');
    }
    return em.transactional(async (tx) => {
      const comment = await this.comment(tx, eventId);
      const ticket = await this.writer.lockTicket(tx, comment.ticket.id);
      if (!comment.deletedAt) return comment;
      comment.deletedAt = null;
      await this.writer.record(tx, ticket, actor, {
        kind: TimelineKind.COMMENT_RESTORED,
        internal: comment.internal,
        target: comment,
      });
      await this.writer.ticketChanged(tx, ticket, 'UPDATED');
      return comment;
    });
  }

  /** Events of one ticket after `afterId`, oldest first; customers get public events only. */
  async list(
    em: EntityManager,
    ticketId: string,
    options: { afterId?: string | null; limit?: number; includeInternal: boolean },
  ): Promise<TimelineEvent[]> {
    const where: FilterQuery<TimelineEvent> = { ticket: ticketId };
    if (options.afterId) where.id = { $gt: options.afterId };
    if (!options.includeInternal) where.internal = false;
    return em.find(TimelineEvent, where, {
      orderBy: { id: 'asc' },
      limit: options.limit,
      populate: ['actor'],
    });
  }

  async revisions(em: EntityManager, commentId: string): Promise<CommentRevision[]> {
    return em.find(CommentRevision, { comment: commentId }, { orderBy: { id: 'asc' }, populate: ['editedBy'] });
  }

  private async applyReplySideEffects(
    tx: EntityManager,
    ticket: Ticket,
    actor: Actor,
    internal: boolean,
  ): Promise<void> {
    if (internal) return;
    if (actor.staff) {
      ticket.firstResponseAt ??= new Date();
      if (ticket.status === TicketStatus.NEW) await this.tickets.changeStatus(tx, ticket, actor, TicketStatus.OPEN);
      return;
    }
    if (REOPENED_BY_CUSTOMER.includes(ticket.status)) {
      await this.tickets.changeStatus(tx, ticket, actor, TicketStatus.OPEN);
    }
  }

  private async validMentions(tx: EntityManager, body: string): Promise<string[]> {
    const ids = mentionedUserIds(body);
    if (ids.length === 0) return [];
    const users = await tx.find(User, { id: { $in: ids }, active: true });
    return users.filter((u) => isStaffRole(u.role)).map((u) => u.id);
  }

  private async comment(tx: EntityManager, eventId: string): Promise<TimelineEvent> {
    const event = await tx.findOne(TimelineEvent, eventId, { populate: ['ticket'] });
    if (!event || (event.kind !== TimelineKind.COMMENT && event.kind !== TimelineKind.NOTE)) {
      throw new DomainError('NOT_FOUND', 'No such comment', 'eventId');
    }
    return event;
  }

  /** Authors change their own comments; admins may change (delete) anyone's. */
  private async ownComment(
    tx: EntityManager,
    actor: Actor,
    eventId: string,
    adminMayToo: boolean,
  ): Promise<TimelineEvent> {
    const comment = await this.comment(tx, eventId);
    if (comment.actor?.id === actor.userId) return comment;
    if (adminMayToo && actor.userId) {
      const user = await tx.findOneOrFail(User, actor.userId);
      if (user.role === Role.ADMIN || user.role === Role.SUPERADMIN) return comment;
    }
    throw new DomainError('FORBIDDEN', 'Only the author can change this comment');
  }
}
