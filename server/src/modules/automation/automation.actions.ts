// Carries out a rule's actions through the existing services, inside the rule's transaction, and
// describes them in words (for the execution log and the dry run).
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import type { Actor } from '../actor.js';
import type { TicketService } from '../tickets/ticket.service.js';
import type { TimelineService } from '../timeline/timeline.service.js';
import type { NotificationService } from '../notifications/notification.service.js';
import type { OutboxService } from '../email/outbox.service.js';
import type { WebhookDeliveryService } from './webhook-delivery.service.js';
import { MailTemplateEvent } from '../email/mail-template.entity.js';
import { AssignmentService } from '../teams/assignment.service.js';
import { Team } from '../teams/team.entity.js';
import { Role, User } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { ActionResult } from './automation.entity.js';
import type { ActionDefinition } from './automation.definition.js';

export interface ActionServices {
  tickets: TicketService;
  timeline: TimelineService;
  notifications: NotificationService;
  outbox: OutboxService;
  webhookDeliveries: WebhookDeliveryService;
}

/** Names of the users and teams an action mentions, for descriptions. */
export type Names = Map<string, string>;

const LABEL: Record<string, string> = {
  NEW: 'New',
  OPEN: 'Open',
  PENDING_CUSTOMER: 'Pending (customer)',
  PENDING_THIRD_PARTY: 'Pending (third party)',
  ON_HOLD: 'On hold',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
  CRITICAL: 'Critical',
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
};

export function describeAction(action: ActionDefinition, names: Names): string {
  const name = (id: string) => names.get(id) ?? 'an unknown user';
  switch (action.type) {
    case 'ASSIGN_USER':
      return `Assign to ${name(action.userId)}`;
    case 'ASSIGN_TEAM':
      return `Assign to team ${names.get(action.teamId) ?? 'unknown'}${action.reassign ? ' (next member in turn, even if assigned)' : ''}`;
    case 'SET_STATUS':
      return `Set status to ${LABEL[action.status]}`;
    case 'SET_URGENCY':
      return `Set urgency to ${LABEL[action.level]}`;
    case 'SET_IMPORTANCE':
      return `Set importance to ${LABEL[action.level]}`;
    case 'ADD_TAG':
      return `Add tag ${action.tag}`;
    case 'REMOVE_TAG':
      return `Remove tag ${action.tag}`;
    case 'ADD_NOTE':
      return `Add internal note "${action.body.length > 60 ? `${action.body.slice(0, 57)}…` : action.body}"`;
    case 'NOTIFY': {
      const who = [
        ...action.userIds.map(name),
        ...action.roles.map((r) => `every ${r.toLowerCase()}`),
        ...(action.assignee ? ['the assignee'] : []),
      ];
      return `Notify ${who.join(', ')}`;
    }
    case 'SEND_MAIL':
      return `Mail the requester the "${action.template.toLowerCase().replace(/_/g, ' ')}" template`;
    case 'WEBHOOK':
      return `Call webhook ${action.url}`;
  }
}

/** Users and teams named by actions, loaded in one query each. */
export async function namesFor(em: EntityManager, actions: ActionDefinition[]): Promise<Names> {
  const userIds = actions.flatMap((a) =>
    a.type === 'ASSIGN_USER' ? [a.userId] : a.type === 'NOTIFY' ? a.userIds : [],
  );
  const teamIds = actions.flatMap((a) => (a.type === 'ASSIGN_TEAM' ? [a.teamId] : []));
  const [users, teams] = await Promise.all([
    userIds.length ? em.find(User, { id: { $in: userIds } }) : [],
    teamIds.length ? em.find(Team, { id: { $in: teamIds } }) : [],
  ]);
  return new Map([...users.map((u) => [u.id, u.name] as const), ...teams.map((t) => [t.id, t.name] as const)]);
}

/** Refuses references to users or teams that are not (active staff) of this tenant. */
export async function checkReferences(em: EntityManager, actions: ActionDefinition[]): Promise<void> {
  for (const [index, action] of actions.entries()) {
    const userIds = action.type === 'ASSIGN_USER' ? [action.userId] : action.type === 'NOTIFY' ? action.userIds : [];
    for (const userId of userIds) {
      const user = await em.findOne(User, { id: userId, active: true });
      if (!user || user.role === Role.CUSTOMER) {
        throw new DomainError('BAD_USER_INPUT', `actions.${index}: no such agent`, 'actions');
      }
    }
    if (action.type === 'ASSIGN_TEAM' && !(await em.findOne(Team, action.teamId))) {
      throw new DomainError('BAD_USER_INPUT', `actions.${index}: no such team`, 'actions');
    }
  }
}

export class ActionRunner {
  private readonly assignment = new AssignmentService();

  constructor(private readonly services: ActionServices) {}

  /** One action that changes the database; webhooks are called after the commit (see the runner). */
  async run(
    tx: EntityManager,
    actor: Actor,
    ticketId: string,
    action: Exclude<ActionDefinition, { type: 'WEBHOOK' }>,
    context: { ruleName: string; names: Names },
  ): Promise<ActionResult> {
    const summary = describeAction(action, context.names);
    const done = (detail?: string): ActionResult => ({
      type: action.type,
      summary: detail ? `${summary}: ${detail}` : summary,
      ok: true,
    });
    const { tickets } = this.services;
    const update = (data: Omit<Parameters<TicketService['update']>[2], 'ticketId'>) =>
      tickets.update(tx, actor, { ticketId, ...data });
    // Fresh from the database: the services change the ticket in transactions of their own (nested).
    const ticket = await tx.findOneOrFail(Ticket, ticketId, { refresh: true });
    switch (action.type) {
      case 'ASSIGN_USER':
        await update({ assigneeId: action.userId });
        return done();
      case 'ASSIGN_TEAM':
        return done(await this.assignTeam(tx, actor, ticket, action.teamId, action.reassign ?? false));
      case 'SET_STATUS':
        await update({ status: action.status });
        return done();
      case 'SET_URGENCY':
        await update({ urgency: action.level });
        return done();
      case 'SET_IMPORTANCE':
        await update({ importance: action.level });
        return done();
      case 'ADD_TAG':
        await update({ tags: [...ticket.tags, action.tag] });
        return done();
      case 'REMOVE_TAG': {
        const tag = action.tag.trim().toLowerCase().replace(/\s+/g, '-');
        await update({ tags: ticket.tags.filter((t) => t !== tag) });
        return done();
      }
      case 'ADD_NOTE':
        await this.services.timeline.addComment(tx, actor, { ticketId, body: action.body, internal: true });
        return done();
      case 'NOTIFY':
        return done(await this.notify(tx, actor, ticket, action, context.ruleName));
      case 'SEND_MAIL': {
        const mail = await this.services.outbox.queueTemplateMail(tx, ticket, action.template as MailTemplateEvent);
        return done(
          mail
            ? `queued to ${mail.toAddresses.join(', ')}`
            : 'nothing sent (no requester address, support address or template)',
        );
      }
    }
  }

  private async assignTeam(
    tx: EntityManager,
    actor: Actor,
    ticket: Ticket,
    teamId: string,
    reassign: boolean,
  ): Promise<string> {
    const sameTeam = ticket.team?.id === teamId;
    if (ticket.assignee && !reassign) {
      await this.services.tickets.update(tx, actor, { ticketId: ticket.id, teamId });
      return 'kept the current assignee';
    }
    if (!ticket.assignee && !sameTeam) {
      // Changing the team of an unassigned ticket hands it to the team's next member (its mode).
      await this.services.tickets.update(tx, actor, { ticketId: ticket.id, teamId });
    } else {
      const next = await this.assignment.pickAssignee(tx, teamId);
      await this.services.tickets.update(tx, actor, {
        ticketId: ticket.id,
        teamId,
        ...(next ? { assigneeId: next.id } : {}),
      });
    }
    const after = await tx.findOneOrFail(Ticket, ticket.id, { populate: ['assignee'], refresh: true });
    return after.assignee ? `now with ${after.assignee.name}` : 'no member was free (manual team)';
  }

  private async notify(
    tx: EntityManager,
    actor: Actor,
    ticket: Ticket,
    action: Extract<ActionDefinition, { type: 'NOTIFY' }>,
    ruleName: string,
  ): Promise<string> {
    const recipients = new Set<string>(action.userIds);
    if (action.roles.length) {
      const users = await tx.find(User, { role: { $in: action.roles }, active: true }, { fields: ['id'] });
      for (const user of users) recipients.add(user.id);
    }
    if (action.assignee && ticket.assignee) recipients.add(ticket.assignee.id);
    const title = action.message
      ? `#${ticket.number} ${action.message}`
      : `#${ticket.number} ${ticket.title} (rule “${ruleName}”)`;
    for (const userId of recipients) {
      await this.services.notifications.notifyUser(tx, {
        tenantId: actor.tenantId,
        userId,
        kind: 'AUTOMATION',
        title,
        ticket,
      });
    }
    return `${recipients.size} ${recipients.size === 1 ? 'person' : 'people'}`;
  }
}
