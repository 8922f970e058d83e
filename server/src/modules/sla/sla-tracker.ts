// Keeps each ticket's SLA in step with the ticket, inside the transaction that changes it (as an
// observer of the TimelineWriter), and records warnings and breaches when they come due: from here
// when a change finds one overdue, or from the timer job (SlaTimers) otherwise. Both paths hold the
// ticket's row lock and insert into sla_firings first, so each warning and breach is recorded once.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EventBus } from '../../events/event-bus.js';
import type { Actor } from '../actor.js';
import { systemActor } from '../actor.js';
import type { Ticket } from '../tickets/ticket.entity.js';
import { ACTIVE_STATUSES } from '../tickets/ticket.enums.js';
import { TimelineKind, type TimelineEvent } from '../timeline/timeline-event.entity.js';
import type { Observation, TimelineWriter } from '../timeline/timeline.writer.js';
import type { NotificationService } from '../notifications/notification.service.js';
import { SlaPolicy, targetFor } from './sla-policy.entity.js';
import { TicketSla } from './ticket-sla.entity.js';
import { SlaFiringKind, SlaTargetKind } from './sla.enums.js';
import type { SlaPolicyService } from './sla-policy.service.js';
import {
  applyActivity,
  bank,
  dueFirings,
  markFired,
  settle,
  summarise,
  type Activity,
  type DueFiring,
  type TargetMinutes,
  type TicketFacts,
} from './sla-clocks.js';

const OWN_KINDS: readonly TimelineKind[] = [TimelineKind.SLA_WARNING, TimelineKind.SLA_BREACHED];
const REPLY_KINDS: readonly TimelineKind[] = [TimelineKind.COMMENT, TimelineKind.EMAIL_IN];

/** What a timeline event means for the response clocks. */
export function activityOf(event: TimelineEvent, actor: Actor): Activity {
  if (!REPLY_KINDS.includes(event.kind) || event.internal) return null;
  if (event.kind === TimelineKind.EMAIL_IN && event.data.automatic === true) return null;
  if (actor.staff) return actor.userId ? 'AGENT_REPLY' : null;
  return 'CUSTOMER_REPLY';
}

function targetMinutes(policy: SlaPolicy | null | undefined, ticket: Ticket): TargetMinutes | null {
  const target = policy ? targetFor(policy, ticket.urgency, ticket.importance) : null;
  if (!target) return null;
  return {
    FIRST_RESPONSE: target.firstResponseMinutes,
    NEXT_RESPONSE: target.nextResponseMinutes ?? null,
    RESOLUTION: target.resolutionMinutes,
  };
}

/** A change to one ticket, for recomputeMany. */
export interface SlaChange {
  ticket: Ticket;
  activity: Activity;
}

interface RecomputeContext {
  rows: Map<string, TicketSla>;
  companyPolicies: Map<string, SlaPolicy>;
  basePolicy(tenantId: string): Promise<SlaPolicy>;
}

const NO_TARGETS: TargetMinutes = { FIRST_RESPONSE: null, NEXT_RESPONSE: null, RESOLUTION: null };

/** The board-visible part of a row, to tell whether the board changed. */
const boardKey = (row: TicketSla) =>
  [row.state, row.open, row.soonestDueAt?.getTime(), row.assigneeId, row.teamId, row.companyId].join('|');

export class SlaTracker {
  constructor(
    private readonly bus: EventBus,
    private readonly writer: TimelineWriter,
    private readonly notifications: NotificationService,
    private readonly policies: SlaPolicyService,
  ) {}

  /** Hooks the tracker into every recorded timeline event. */
  attach(): void {
    this.writer.observe((tx, observations) => this.onEvents(tx, observations));
  }

  async onEvents(tx: EntityManager, observations: Observation[]): Promise<void> {
    const changes = observations
      .filter(({ event }) => !OWN_KINDS.includes(event.kind))
      .map(({ ticket, event, actor }) => ({ ticket, activity: activityOf(event, actor) }));
    if (changes.length) await this.recomputeMany(tx, changes);
  }

  /** Brings one ticket's SLA up to date at `now`; the caller's transaction holds the ticket lock and flushes. */
  async recompute(tx: EntityManager, ticket: Ticket, activity: Activity = null, now = new Date()): Promise<TicketSla> {
    const rows = await this.recomputeMany(tx, [{ ticket, activity }], now);
    return rows.get(ticket.id)!;
  }

  /**
   * Brings the SLAs of several locked tickets up to date, applying their changes in order: the rows,
   * the default policy and the company policies are read once for all of them (a mail batch opens a
   * hundred tickets at a time). The caller's flush writes them (see TimelineObserver).
   */
  async recomputeMany(tx: EntityManager, changes: SlaChange[], now = new Date()): Promise<Map<string, TicketSla>> {
    const context = await this.context(
      tx,
      changes.map((c) => c.ticket),
    );
    const rows = context.rows;
    const before = new Map<string, string>();
    for (const { ticket, activity } of changes) {
      const row = rows.get(ticket.id) ?? this.start(tx, ticket, await context.basePolicy(ticket.tenant.id));
      rows.set(ticket.id, row);
      if (!before.has(ticket.id)) before.set(ticket.id, boardKey(row));
      // What came due before this change is recorded first (a reply a second late is late).
      await this.fire(tx, ticket, row, now);
      bank(row.clocks, this.policies.clockOf(row.policy), now);
      applyActivity(row.clocks, activity, now);
      row.policy = await this.policyFor(ticket, row, context);
      this.follow(row, ticket);
      this.settle(row, ticket, now);
      // A change can make a target overdue at once (a higher priority, a tighter policy).
      await this.fire(tx, ticket, row, now);
    }
    const changed = [...before].filter(([ticketId, key]) => boardKey(rows.get(ticketId)!) !== key);
    await this.bus.publishAllInTransaction(
      tx,
      changed.map(([ticketId]) => ({
        name: 'sla.changed',
        payload: { tenantId: rows.get(ticketId)!.tenant.id, ticketId },
      })),
    );
    return rows;
  }

  /** The timer side: records what has come due on a ticket the caller has locked. */
  async fireDue(tx: EntityManager, ticket: Ticket, row: TicketSla, now = new Date()): Promise<number> {
    const before = boardKey(row);
    const fired = await this.fire(tx, ticket, row, now);
    await tx.flush();
    if (fired > 0 || boardKey(row) !== before) await this.changed(tx, ticket);
    // Inbox rows and open ticket pages show the SLA badge: tell them, as any ticket change does.
    if (fired > 0) await this.writer.ticketChanged(tx, ticket, 'UPDATED');
    return fired;
  }

  load(tx: EntityManager, ticketId: string): Promise<TicketSla | null> {
    return tx.findOne(TicketSla, { ticket: ticketId }, { populate: ['policy.calendar', 'basePolicy.calendar'] });
  }

  /** What recomputing these tickets reads, read once: their rows, their companies' policies, and
   * (when a ticket has no row yet) each tenant's default policy. */
  private async context(tx: EntityManager, tickets: Ticket[]): Promise<RecomputeContext> {
    const ticketIds = [...new Set(tickets.map((t) => t.id))];
    const stored = await tx.find(
      TicketSla,
      { ticket: { $in: ticketIds } },
      { populate: ['policy.calendar', 'basePolicy.calendar'] },
    );
    const rows = new Map(stored.map((row) => [row.ticket.id, row]));
    const companyIds = [...new Set(tickets.flatMap((t) => (t.company ? [t.company.id] : [])))];
    const companyPolicies = await this.policies.companyPoliciesOf(tx, companyIds);
    const defaults = new Map<string, Promise<SlaPolicy>>();
    return {
      rows,
      companyPolicies,
      basePolicy: (tenantId) => {
        let policy = defaults.get(tenantId);
        if (!policy) defaults.set(tenantId, (policy = this.policies.ensureDefaultPolicy(tx, tenantId)));
        return policy;
      },
    };
  }

  private start(tx: EntityManager, ticket: Ticket, base: SlaPolicy): TicketSla {
    const row = tx.create(TicketSla, { tenant: ticket.tenant, ticket, basePolicy: base, policy: base });
    // The clocks run from the moment the ticket was created.
    row.clocks.runningSince = ticket.createdAt.toISOString();
    return row;
  }

  /** The company's own policy if it has one, else the policy the ticket started with (or, if that
   * was deleted, today's default). */
  private async policyFor(ticket: Ticket, row: TicketSla, context: RecomputeContext): Promise<SlaPolicy> {
    const companyId = ticket.company?.id ?? null;
    const own = companyId ? context.companyPolicies.get(companyId) : undefined;
    if (own) return own;
    if (row.basePolicy) return row.basePolicy;
    row.basePolicy = await context.basePolicy(ticket.tenant.id);
    return row.basePolicy;
  }

  private follow(row: TicketSla, ticket: Ticket): void {
    row.open = ACTIVE_STATUSES.includes(ticket.status);
    row.resolvedAt = row.open ? null : (ticket.resolvedAt ?? ticket.closedAt ?? new Date());
    row.assigneeId = ticket.assignee?.id ?? null;
    row.teamId = ticket.team?.id ?? null;
    row.companyId = ticket.company?.id ?? null;
  }

  private facts(row: TicketSla, ticket: Ticket): TicketFacts {
    const paused = row.policy?.pauseStatuses.includes(ticket.status) ?? false;
    return { open: row.open, paused };
  }

  private settle(row: TicketSla, ticket: Ticket, now: Date): void {
    const targets = targetMinutes(row.policy, ticket);
    const facts = this.facts(row, ticket);
    settle(
      row.clocks,
      facts,
      targets ?? NO_TARGETS,
      row.policy?.warningMinutes ?? 0,
      this.policies.clockOf(row.policy),
      now,
    );
    this.summarise(row, ticket, targets !== null);
  }

  private summarise(row: TicketSla, ticket: Ticket, hasTargets: boolean): void {
    const summary = summarise(row.clocks, this.facts(row, ticket), hasTargets, row.breachedAt != null);
    row.state = summary.state;
    row.soonestDueAt = summary.soonestDueAt;
    row.nextCheckAt = summary.nextCheckAt;
  }

  private async fire(tx: EntityManager, ticket: Ticket, row: TicketSla, now: Date): Promise<number> {
    let fired = 0;
    for (const firing of dueFirings(row.clocks, now)) {
      if (await this.claim(tx, ticket, firing, now)) {
        fired++;
        markFired(row.clocks, firing, now);
        if (firing.kind === SlaFiringKind.BREACH) row.breachedAt ??= now;
        await this.record(tx, ticket, row, firing);
      } else {
        markFired(row.clocks, firing, now);
      }
    }
    if (fired > 0) this.summarise(row, ticket, targetMinutes(row.policy, ticket) !== null);
    else if (row.nextCheckAt && row.nextCheckAt.getTime() <= now.getTime()) {
      this.summarise(row, ticket, targetMinutes(row.policy, ticket) !== null);
    }
    return fired;
  }

  /** The once-only gate: true for the one transaction that records this warning or breach. */
  private async claim(tx: EntityManager, ticket: Ticket, firing: DueFiring, now: Date): Promise<boolean> {
    const rows = await tx.execute<Array<{ id: string }>>(
      `insert into sla_firings (id, created_at, updated_at, tenant_id, ticket_id, target, cycle, kind, due_at, fired_at)
       values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (ticket_id, target, cycle, kind) do nothing returning id`,
      [now, now, ticket.tenant.id, ticket.id, firing.target, firing.cycle, firing.kind, new Date(firing.dueAt), now],
    );
    return rows.length > 0;
  }

  private async record(tx: EntityManager, ticket: Ticket, row: TicketSla, firing: DueFiring): Promise<void> {
    const breach = firing.kind === SlaFiringKind.BREACH;
    const event = await this.writer.record(tx, ticket, systemActor(ticket.tenant.id), {
      kind: breach ? TimelineKind.SLA_BREACHED : TimelineKind.SLA_WARNING,
      internal: true,
      body: describe(firing),
      data: {
        target: firing.target,
        dueAt: firing.dueAt,
        cycle: firing.cycle,
        policyId: row.policy?.id ?? null,
        policyName: row.policy?.name ?? null,
      },
    });
    const assigneeId = ticket.assignee?.id;
    if (assigneeId) {
      await this.notifications.notify(
        tx,
        ticket.tenant.id,
        assigneeId,
        breach ? 'SLA_BREACHED' : 'SLA_WARNING',
        ticket,
        event,
      );
    }
  }

  private async changed(tx: EntityManager, ticket: Ticket): Promise<void> {
    await this.bus.publishInTransaction(tx, 'sla.changed', { tenantId: ticket.tenant.id, ticketId: ticket.id });
  }
}

const TARGET_NAMES: Record<SlaTargetKind, string> = {
  FIRST_RESPONSE: 'First response',
  NEXT_RESPONSE: 'Next response',
  RESOLUTION: 'Resolution',
};

function describe(firing: DueFiring): string {
  const due = new Date(firing.dueAt).toISOString().replace('T', ' ').slice(0, 16);
  return firing.kind === SlaFiringKind.BREACH
    ? `${TARGET_NAMES[firing.target]} target breached (was due ${due} UTC)`
    : `${TARGET_NAMES[firing.target]} target due soon (${due} UTC)`;
}
