import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { User } from '../users/user.entity.js';
import { Team } from '../teams/team.entity.js';
import { EmailAddress } from '../email/email-address.entity.js';
import type { AssignmentService } from '../teams/assignment.service.js';
import type { UserService } from '../users/user.service.js';
import { TimelineKind, type TimelineEvent } from '../timeline/timeline-event.entity.js';
import type { TimelineWriter } from '../timeline/timeline.writer.js';
import type { Actor } from '../actor.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { isCriticalPair } from '../notifications/critical-tickets.js';
import { Ticket } from './ticket.entity.js';
import { Level, TicketStatus, allowedTransitions, canTransition } from './ticket.enums.js';

export interface CreateTicketData {
  title: string;
  description: string;
  urgency?: Level | null;
  importance?: Level | null;
  requesterEmail?: string | null;
  requesterName?: string | null;
  assigneeId?: string | null;
  teamId?: string | null;
  tags?: string[] | null;
  issueType?: string | null;
  emailAddressId?: string | null;
  parseProblem?: boolean;
}

export interface UpdateTicketData {
  ticketId: string;
  status?: TicketStatus | null;
  /** undefined: unchanged; null: unassign. */
  assigneeId?: string | null;
  teamId?: string | null;
  urgency?: Level | null;
  importance?: Level | null;
  title?: string | null;
  tags?: string[] | null;
  issueType?: string | null;
}

export const MAX_TITLE = 500;
export const MAX_DESCRIPTION = 100_000;
const MAX_TAGS = 30;

export function normaliseTags(tags: string[]): string[] {
  const cleaned = tags.map((t) => t.trim().toLowerCase().replace(/\s+/g, '-')).filter((t) => t.length > 0);
  for (const tag of cleaned) {
    if (tag.length > 50) throw new DomainError('BAD_USER_INPUT', `Tag "${tag.slice(0, 20)}…" is too long`, 'tags');
  }
  const unique = [...new Set(cleaned)].sort();
  if (unique.length > MAX_TAGS) throw new DomainError('BAD_USER_INPUT', `At most ${MAX_TAGS} tags`, 'tags');
  return unique;
}

function requireText(value: string, field: string, max: number): string {
  const text = value.trim();
  if (!text) throw new DomainError('BAD_USER_INPUT', `${field} must not be empty`, field);
  if (text.length > max) throw new DomainError('BAD_USER_INPUT', `${field} is longer than ${max} characters`, field);
  return text;
}

export class TicketService {
  constructor(
    private readonly writer: TimelineWriter,
    private readonly users: UserService,
    private readonly assignment: AssignmentService,
    private readonly notifications: NotificationService,
  ) {}

  async create(em: EntityManager, actor: Actor, data: CreateTicketData): Promise<Ticket> {
    const title = requireText(data.title, 'title', MAX_TITLE);
    const description = data.description.trim();
    if (description.length > MAX_DESCRIPTION) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `description is longer than ${MAX_DESCRIPTION} characters`,
        'description',
      );
    }
    if (!actor.staff && (data.assigneeId || data.teamId || data.requesterEmail || data.emailAddressId)) {
      throw new DomainError('FORBIDDEN', 'Customers cannot choose the requester, team or assignee');
    }
    const tags = normaliseTags(data.tags ?? []);
    return em.transactional(async (tx) => {
      const requester = await this.resolveRequester(tx, actor, data);
      const assignee = data.assigneeId ? await this.users.staffMember(tx, data.assigneeId, 'assigneeId') : null;
      const team = data.teamId ? await this.team(tx, data.teamId) : null;
      const emailAddress = data.emailAddressId ? await this.emailAddress(tx, data.emailAddressId) : null;
      const number = await this.allocateNumber(tx, actor.tenantId);
      const ticket = tx.create(Ticket, {
        tenant: tx.getReference(Tenant, actor.tenantId),
        number,
        title,
        description,
        urgency: data.urgency ?? Level.MEDIUM,
        importance: data.importance ?? Level.MEDIUM,
        issueType: data.issueType?.trim() || 'Question',
        tags,
        requester,
        company: requester?.company ?? null,
        assignee,
        team,
        emailAddress,
        parseProblem: data.parseProblem ?? false,
        status: assignee ? TicketStatus.OPEN : TicketStatus.NEW,
      });
      await tx.flush();
      const created = await this.writer.record(tx, ticket, actor, {
        kind: TimelineKind.TICKET_CREATED,
        body: description,
        data: { title, urgency: ticket.urgency, importance: ticket.importance, assigneeId: assignee?.id ?? null },
      });
      if (isCriticalPair(ticket)) {
        await this.notifications.notifyCriticalTicket(tx, actor.tenantId, ticket, actor.userId, created);
      }
      if (!assignee && team) await this.autoAssign(tx, ticket, actor, team.id);
      await this.writer.ticketChanged(tx, ticket, 'CREATED');
      return ticket;
    });
  }

  async update(em: EntityManager, actor: Actor, data: UpdateTicketData): Promise<Ticket> {
    if (!actor.staff) throw new DomainError('FORBIDDEN', 'Only agents can change tickets');
    return em.transactional(async (tx) => {
      const ticket = await this.writer.lockTicket(tx, data.ticketId);
      const wasCritical = isCriticalPair(ticket);
      let changed = false;
      const mark = (c: boolean) => (changed = changed || c);
      if (data.title != null) mark(await this.changeTitle(tx, ticket, actor, data.title));
      if (data.urgency != null) mark(await this.changeLevel(tx, ticket, actor, 'urgency', data.urgency));
      if (data.importance != null) mark(await this.changeLevel(tx, ticket, actor, 'importance', data.importance));
      if (data.tags != null) mark(await this.changeTags(tx, ticket, actor, data.tags));
      if (data.teamId !== undefined) mark(await this.changeTeam(tx, ticket, actor, data.teamId));
      if (data.assigneeId !== undefined) mark(await this.changeAssignee(tx, ticket, actor, data.assigneeId));
      if (data.status != null) mark(await this.changeStatus(tx, ticket, actor, data.status));
      if (data.issueType != null && data.issueType.trim() && data.issueType.trim() !== ticket.issueType) {
        ticket.issueType = data.issueType.trim().slice(0, 100);
        mark(true);
      }
      if (changed) {
        await tx.flush();
        // Once per transition into critical × critical (under the ticket's row lock).
        if (!wasCritical && isCriticalPair(ticket)) {
          await this.notifications.notifyCriticalTicket(tx, actor.tenantId, ticket, actor.userId, null);
        }
        await this.writer.ticketChanged(tx, ticket, 'UPDATED');
      }
      return ticket;
    });
  }

  /** Who follows the ticket (and is told about its changes), recorded on the timeline. */
  async setWatchers(em: EntityManager, actor: Actor, ticketId: string, userIds: string[]): Promise<Ticket> {
    if (!actor.staff) throw new DomainError('FORBIDDEN', 'Only agents choose watchers');
    return em.transactional(async (tx) => {
      const ticket = await this.writer.lockTicket(tx, ticketId);
      await ticket.watchers.init();
      const before = ticket.watchers.getItems().map((u) => u.id);
      const wanted = [...new Set(userIds)];
      const users = await Promise.all(wanted.map((id) => this.users.staffMember(tx, id, 'userIds')));
      const added = wanted.filter((id) => !before.includes(id));
      const removed = before.filter((id) => !wanted.includes(id));
      if (added.length === 0 && removed.length === 0) return ticket;
      ticket.watchers.set(users);
      await this.writer.record(tx, ticket, actor, {
        kind: TimelineKind.WATCHERS_CHANGED,
        internal: true,
        data: { added, removed },
      });
      await this.writer.ticketChanged(tx, ticket, 'UPDATED');
      return ticket;
    });
  }

  /** Status changes made as a side effect of replies (reopen on customer reply, open on agent reply). */
  async changeStatus(tx: EntityManager, ticket: Ticket, actor: Actor, to: TicketStatus): Promise<boolean> {
    const from = ticket.status;
    if (from === to) return false;
    if (!canTransition(from, to)) {
      const allowed = allowedTransitions(from).join(', ');
      throw new DomainError('BAD_USER_INPUT', `A ${from} ticket cannot become ${to} (allowed: ${allowed})`, 'status');
    }
    ticket.status = to;
    const now = new Date();
    if (to === TicketStatus.RESOLVED) ticket.resolvedAt = now;
    if (to === TicketStatus.CLOSED) ticket.closedAt = now;
    if (to === TicketStatus.OPEN) {
      ticket.resolvedAt = null;
      ticket.closedAt = null;
    }
    await this.writer.record(tx, ticket, actor, { kind: TimelineKind.STATUS_CHANGED, data: { from, to } });
    return true;
  }

  private async changeTitle(tx: EntityManager, ticket: Ticket, actor: Actor, value: string): Promise<boolean> {
    const title = requireText(value, 'title', MAX_TITLE);
    if (title === ticket.title) return false;
    const from = ticket.title;
    ticket.title = title;
    await this.writer.record(tx, ticket, actor, { kind: TimelineKind.TITLE_CHANGED, data: { from, to: title } });
    return true;
  }

  private async changeLevel(
    tx: EntityManager,
    ticket: Ticket,
    actor: Actor,
    field: 'urgency' | 'importance',
    to: Level,
  ): Promise<boolean> {
    const from = ticket[field];
    if (from === to) return false;
    ticket[field] = to;
    await this.writer.record(tx, ticket, actor, {
      kind: TimelineKind.PRIORITY_CHANGED,
      internal: true,
      data: { field, from, to },
    });
    return true;
  }

  private async changeTags(tx: EntityManager, ticket: Ticket, actor: Actor, value: string[]): Promise<boolean> {
    const tags = normaliseTags(value);
    const added = tags.filter((t) => !ticket.tags.includes(t));
    const removed = ticket.tags.filter((t) => !tags.includes(t));
    if (added.length === 0 && removed.length === 0) return false;
    ticket.tags = tags;
    await this.writer.record(tx, ticket, actor, {
      kind: TimelineKind.TAGS_CHANGED,
      internal: true,
      data: { added, removed },
    });
    return true;
  }

  private async changeTeam(tx: EntityManager, ticket: Ticket, actor: Actor, teamId: string | null): Promise<boolean> {
    const team = teamId ? await this.team(tx, teamId) : null;
    if ((team?.id ?? null) === (ticket.team?.id ?? null)) return false;
    const from = ticket.team?.id ?? null;
    ticket.team = team;
    await this.writer.record(tx, ticket, actor, {
      kind: TimelineKind.TEAM_CHANGED,
      internal: true,
      data: { from, to: team?.id ?? null, toName: team?.name ?? null },
    });
    if (team && !ticket.assignee) await this.autoAssign(tx, ticket, actor, team.id);
    return true;
  }

  private async changeAssignee(
    tx: EntityManager,
    ticket: Ticket,
    actor: Actor,
    userId: string | null,
  ): Promise<boolean> {
    const assignee = userId ? await this.users.staffMember(tx, userId, 'assigneeId') : null;
    return this.assign(tx, ticket, actor, assignee, null);
  }

  private async assign(
    tx: EntityManager,
    ticket: Ticket,
    actor: Actor,
    assignee: User | null,
    auto: string | null,
  ): Promise<boolean> {
    const from = ticket.assignee?.id ?? null;
    if ((assignee?.id ?? null) === from) return false;
    ticket.assignee = assignee;
    const event = await this.writer.record(tx, ticket, actor, {
      kind: TimelineKind.ASSIGNED,
      internal: true,
      data: { from, to: assignee?.id ?? null, toName: assignee?.name ?? null, auto },
    });
    if (assignee && assignee.id !== actor.userId) {
      await this.notifications.notify(tx, actor.tenantId, assignee.id, 'ASSIGNED', ticket, event);
    }
    // Someone taking a new ticket is the moment it becomes open.
    if (assignee && ticket.status === TicketStatus.NEW) await this.changeStatus(tx, ticket, actor, TicketStatus.OPEN);
    return true;
  }

  private async autoAssign(tx: EntityManager, ticket: Ticket, actor: Actor, teamId: string): Promise<void> {
    const assignee = await this.assignment.pickAssignee(tx, teamId);
    if (!assignee) return;
    const team = await tx.findOneOrFail(Team, teamId);
    await this.assign(tx, ticket, { ...actor, userId: null }, assignee, team.assignmentMode);
  }

  private async emailAddress(tx: EntityManager, id: string): Promise<EmailAddress> {
    const address = await tx.findOne(EmailAddress, id);
    if (!address) throw new DomainError('BAD_USER_INPUT', 'No such email address', 'emailAddressId');
    return address;
  }

  private async team(tx: EntityManager, teamId: string): Promise<Team> {
    const team = await tx.findOne(Team, teamId);
    if (!team) throw new DomainError('BAD_USER_INPUT', 'No such team', 'teamId');
    return team;
  }

  private async resolveRequester(tx: EntityManager, actor: Actor, data: CreateTicketData): Promise<User | null> {
    if (!actor.staff) return actor.userId ? tx.findOneOrFail(User, actor.userId, { populate: ['company'] }) : null;
    if (!data.requesterEmail) return null;
    const user = await this.users.findOrCreateCustomer(tx, actor.tenantId, data.requesterEmail, data.requesterName);
    await tx.populate(user, ['company']);
    return user;
  }

  /**
   * The batched form of create() for mail ingestion: a new ticket from a mail, requester already
   * resolved, no team or assignee, its TICKET_CREATED event staged (see TimelineWriter.stage).
   * The number is given by numberStaged() before the caller's one flush. Keep in step with create().
   */
  stageFromMail(
    tx: EntityManager,
    actor: Actor,
    data: {
      title: string;
      description: string;
      requester: User | null;
      emailAddress: EmailAddress;
      parseProblem: boolean;
    },
  ): { ticket: Ticket; event: TimelineEvent } {
    const title = data.title.trim().slice(0, MAX_TITLE) || '(no subject)';
    const description = data.description.trim().slice(0, MAX_DESCRIPTION);
    const ticket = tx.create(Ticket, {
      tenant: tx.getReference(Tenant, actor.tenantId),
      number: 0,
      title,
      description,
      urgency: Level.MEDIUM,
      importance: Level.MEDIUM,
      issueType: 'Question',
      tags: [],
      requester: data.requester,
      company: data.requester?.company ?? null,
      emailAddress: data.emailAddress,
      parseProblem: data.parseProblem,
      status: TicketStatus.NEW,
    });
    const event = this.writer.stage(tx, ticket, actor, {
      kind: TimelineKind.TICKET_CREATED,
      body: description,
      data: { title, urgency: ticket.urgency, importance: ticket.importance, assigneeId: null },
    });
    return { ticket, event };
  }

  /** Gapless numbers for staged tickets, in order, with one statement. */
  async numberStaged(tx: EntityManager, tenantId: string, tickets: Ticket[]): Promise<void> {
    if (tickets.length === 0) return;
    const rows = await tx.execute<Array<{ first: number }>>(
      'update tenants set next_ticket_number = next_ticket_number + ? where id = ? returning next_ticket_number - ? as first',
      [tickets.length, tenantId, tickets.length],
    );
    const first = rows[0]?.first;
    if (!first) throw new Error('tenant not found while numbering tickets');
    tickets.forEach((ticket, i) => (ticket.number = first + i));
  }

  private async allocateNumber(tx: EntityManager, tenantId: string): Promise<number> {
    const rows = await tx.execute<Array<{ number: number }>>(
      'update tenants set next_ticket_number = next_ticket_number + 1 where id = ? returning next_ticket_number - 1 as number',
      [tenantId],
    );
    const number = rows[0]?.number;
    if (!number) throw new Error('tenant not found while numbering a ticket');
    return number;
  }
}
