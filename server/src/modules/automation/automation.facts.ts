import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../users/user.entity.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import type { TicketFacts } from './automation.conditions.js';

/**
 * How the ticket came in: EMAIL when its creation wrote a received mail in the same transaction,
 * PORTAL when a customer opened it, AGENT when staff did; a channel recorded on the creation event
 * (e.g. CHAT) wins.
 */
async function channelOf(tx: EntityManager, ticketId: string): Promise<string> {
  const rows = await tx.execute<Array<{ declared: string | null; role: string | null; by_mail: boolean }>>(
    `select c.data->>'channel' as declared, u.role::text as role,
       exists (select 1 from timeline_events m
               where m.ticket_id = c.ticket_id and m.tx_id = c.tx_id and m.kind = 'EMAIL_IN') as by_mail
     from timeline_events c left join users u on u.id = c.actor_id
     where c.ticket_id = ? and c.kind = 'TICKET_CREATED'
     limit 1`,
    [ticketId],
  );
  const row = rows[0];
  if (!row) return 'AGENT';
  if (row.declared) return row.declared.toUpperCase();
  if (row.by_mail) return 'EMAIL';
  return row.role === 'CUSTOMER' ? 'PORTAL' : 'AGENT';
}

export async function loadFacts(tx: EntityManager, ticket: Ticket): Promise<TicketFacts> {
  const requester = ticket.requester ? await tx.findOne(User, ticket.requester.id) : null;
  return {
    status: ticket.status,
    urgency: ticket.urgency,
    importance: ticket.importance,
    assigneeId: ticket.assignee?.id ?? null,
    teamId: ticket.team?.id ?? null,
    tags: ticket.tags,
    title: ticket.title,
    description: ticket.description,
    requesterEmail: requester?.email ?? null,
    companyId: ticket.company?.id ?? null,
    sourceAddressId: ticket.emailAddress?.id ?? null,
    channel: await channelOf(tx, ticket.id),
    issueType: ticket.issueType,
  };
}
