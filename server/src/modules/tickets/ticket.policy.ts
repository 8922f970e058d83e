// Who may see and do what with tickets. Used by resolvers and by every subscription event.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import type { Viewer } from '../../graphql/context.js';
import { Role, isStaffRole } from '../users/user.entity.js';
import { User } from '../users/user.entity.js';
import type { Ticket } from './ticket.entity.js';

export interface TicketAudience {
  staff: boolean;
  userId: string;
  /** The customer's company when it lets customers see all of its tickets. */
  sharedCompanyId: string | null;
}

export async function ticketAudience(em: EntityManager, viewer: Viewer): Promise<TicketAudience> {
  if (isStaffRole(viewer.role)) return { staff: true, userId: viewer.userId, sharedCompanyId: null };
  const user = await em.findOneOrFail(User, viewer.userId, { populate: ['company'] });
  const shared = user.company?.customersSeeCompanyTickets ? user.company.id : null;
  return { staff: false, userId: viewer.userId, sharedCompanyId: shared };
}

/** The tickets an audience may see, as a query condition (tenant scoping is added by the filter). */
export function visibleTickets(audience: TicketAudience): FilterQuery<Ticket> {
  if (audience.staff) return {};
  const own: FilterQuery<Ticket> = { requester: audience.userId };
  return audience.sharedCompanyId ? { $or: [own, { company: audience.sharedCompanyId }] } : own;
}

export function canSeeTicket(audience: TicketAudience, ticket: Ticket): boolean {
  if (audience.staff) return true;
  if (ticket.requester?.id === audience.userId) return true;
  return audience.sharedCompanyId !== null && ticket.company?.id === audience.sharedCompanyId;
}

export function canSeeEvent(audience: TicketAudience, event: { internal: boolean }): boolean {
  return audience.staff || !event.internal;
}

export function canManageTickets(role: Role): boolean {
  return isStaffRole(role);
}
