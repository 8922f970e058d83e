// Moving a mis-threaded incoming mail to the ticket it belongs to, or to a new ticket: one
// transaction writes the mail's entry on the target, an EMAIL_MOVED entry on the source (which
// hides the old entry there, also from the source's customer), moves its attachments, and points
// the Message-ID index at the target, so later replies to that mail thread to the new place.
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import type { Actor } from '../actor.js';
import { isEmail } from '../users/user.service.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import { MAX_TITLE, type TicketService } from '../tickets/ticket.service.js';
import type { TimelineWriter } from '../timeline/timeline.writer.js';
import { TimelineEvent, TimelineKind } from '../timeline/timeline-event.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';
import { MailDirection, MailMessage } from './mail-message.entity.js';

export class MailMoveService {
  constructor(
    private readonly tickets: TicketService,
    private readonly writer: TimelineWriter,
  ) {}

  /** Moves an incoming mail to `toTicketId`, or to a new ticket when it is null; returns the target. */
  async move(em: EntityManager, actor: Actor, mailId: string, toTicketId: string | null): Promise<Ticket> {
    if (!actor.staff) throw new DomainError('FORBIDDEN', 'Only agents move emails');
    return em.transactional(async (tx) => {
      const mail = await tx.findOne(MailMessage, { id: mailId, direction: MailDirection.IN });
      if (!mail?.ticket || !mail.event) throw new DomainError('NOT_FOUND', 'No such email on a ticket', 'mailId');
      const sourceId = mail.ticket.id;
      if (toTicketId === sourceId) {
        throw new DomainError('BAD_USER_INPUT', 'The email is already on this ticket', 'ticketId');
      }
      const { source, target } = toTicketId
        ? await this.lockBoth(tx, sourceId, toTicketId)
        : { source: await this.writer.lockTicket(tx, sourceId), target: await this.newTicketFor(tx, actor, mail) };
      const old = await tx.findOneOrFail(TimelineEvent, mail.event.id);
      const moved = await this.writer.record(
        tx,
        target,
        { tenantId: actor.tenantId, userId: old.actor?.id ?? null, staff: false },
        {
          kind: TimelineKind.EMAIL_IN,
          body: old.body,
          data: { ...old.data, movedFrom: { ticketId: source.id, number: source.number } },
        },
      );
      // The entry stays in the source's history for agents, with the move recorded against it.
      old.internal = true;
      await this.writer.record(tx, source, actor, {
        kind: TimelineKind.EMAIL_MOVED,
        internal: true,
        target: old,
        data: { mailId: mail.id, subject: mail.subject, toTicketId: target.id, toNumber: target.number },
      });
      mail.ticket = target;
      mail.event = moved;
      await tx.nativeUpdate(Attachment, { event: old.id }, { event: moved.id, ticket: target.id });
      await tx.flush();
      await this.writer.ticketChanged(tx, source, 'UPDATED');
      await this.writer.ticketChanged(tx, target, 'UPDATED');
      return target;
    });
  }

  /** Both ticket locks, always in the same order, so two opposite moves never deadlock. */
  private async lockBoth(tx: EntityManager, sourceId: string, targetId: string) {
    const [first, second] = [sourceId, targetId].sort();
    const a = await this.writer.lockTicket(tx, first!);
    const b = await this.writer.lockTicket(tx, second!);
    return a.id === sourceId ? { source: a, target: b } : { source: b, target: a };
  }

  private newTicketFor(tx: EntityManager, actor: Actor, mail: MailMessage): Promise<Ticket> {
    return this.tickets.create(tx, actor, {
      title: (mail.subject.trim() || '(no subject)').slice(0, MAX_TITLE),
      description: '',
      requesterEmail: isEmail(mail.fromAddress.toLowerCase()) ? mail.fromAddress : null,
      requesterName: mail.fromName ?? null,
      emailAddressId: mail.emailAddress?.id ?? null,
    });
  }
}
