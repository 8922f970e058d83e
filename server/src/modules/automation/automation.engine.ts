// The rules engine of the workers. Two sources of work:
// - the stream of timeline events, read in (transaction, id) order after a cursor persisted in
//   PostgreSQL. Only events of transactions older than every running transaction are read
//   (pg_snapshot_xmin), so an event that commits late never falls behind the cursor. The cursor row
//   is locked (SKIP LOCKED) for a pass: one engine reads at a time, the others skip;
// - time-based triggers ("unassigned for 2 h"), found by a scan; each occurrence has its own key.
// Every run is claimed under a unique key (see automation.runner.ts), so nothing runs twice even
// when a pass is repeated after a crash.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { childLogger } from '../../lib/logger.js';
import { ACTIVE_STATUSES } from '../tickets/ticket.enums.js';
import { TimelineKind } from '../timeline/timeline-event.entity.js';
import type { AutomationMark } from '../actor.js';
import { AutomationRule } from './automation.entity.js';
import { isTimeTrigger, type EventTriggerType, type TimeTriggerType } from './automation.definition.js';
import { MAX_CHAIN_DEPTH, type AutomationRunner } from './automation.runner.js';
import { evaluate, type TicketFacts } from './automation.conditions.js';
import { loadFacts } from './automation.facts.js';

const log = childLogger('automation-engine');
const CURSOR = 'timeline';
const BATCH = 200;
export const MAX_EVENTS_PER_PASS = 2_000;
const MAX_OCCURRENCES_PER_RULE = 200;

interface StreamEvent {
  id: string;
  tx_id: string;
  tenant_id: string;
  ticket_id: string;
  kind: TimelineKind;
  internal: boolean;
  data: Record<string, unknown>;
  created_at: Date;
}

const UPDATE_KINDS: readonly TimelineKind[] = [
  TimelineKind.STATUS_CHANGED,
  TimelineKind.PRIORITY_CHANGED,
  TimelineKind.ASSIGNED,
  TimelineKind.TEAM_CHANGED,
  TimelineKind.TAGS_CHANGED,
  TimelineKind.TITLE_CHANGED,
];

/** Whether an event fires a rule with this trigger. */
export function eventFires(rule: AutomationRule, event: Pick<StreamEvent, 'kind' | 'internal' | 'data'>): boolean {
  const type = rule.trigger.type as EventTriggerType;
  switch (type) {
    case 'TICKET_CREATED':
      return event.kind === TimelineKind.TICKET_CREATED;
    case 'TICKET_UPDATED':
      return UPDATE_KINDS.includes(event.kind);
    case 'STATUS_CHANGED':
      return event.kind === TimelineKind.STATUS_CHANGED;
    case 'PRIORITY_CHANGED':
      return event.kind === TimelineKind.PRIORITY_CHANGED;
    case 'ASSIGNMENT_CHANGED':
      return event.kind === TimelineKind.ASSIGNED || event.kind === TimelineKind.TEAM_CHANGED;
    case 'COMMENT_ADDED': {
      const visibility = rule.trigger.visibility ?? 'ANY';
      if (event.kind === TimelineKind.COMMENT) return visibility !== 'INTERNAL';
      if (event.kind === TimelineKind.NOTE) return visibility !== 'PUBLIC';
      return false;
    }
    case 'EMAIL_RECEIVED':
      // Bounces are recorded as internal EMAIL_IN events; they are not mail from the customer.
      return event.kind === TimelineKind.EMAIL_IN && event.data.bounce !== true;
    case 'SLA_WARNING':
      return event.kind === TimelineKind.SLA_WARNING;
    case 'SLA_BREACHED':
      return event.kind === TimelineKind.SLA_BREACHED;
  }
}

function automationOf(event: StreamEvent): AutomationMark | null {
  const mark = event.data.automation as AutomationMark | undefined;
  return mark && Array.isArray(mark.chain) ? mark : null;
}

export class AutomationEngine {
  constructor(
    private readonly orm: MikroORM,
    private readonly runner: AutomationRunner,
  ) {}

  /** One pass over new timeline events; returns how many were read (0 when another engine is reading). */
  async processEvents(): Promise<number> {
    const em = acrossTenants(this.orm.em);
    return em.transactional(async (lockTx) => {
      await lockTx.execute(
        `insert into automation_cursors (name, tx_id, event_id, updated_at)
         values (?, pg_snapshot_xmin(pg_current_snapshot()), 0, now()) on conflict do nothing`,
        [CURSOR],
      );
      const locked = await lockTx.execute<Array<{ tx_id: string; event_id: string }>>(
        `select tx_id::text as tx_id, event_id::text as event_id from automation_cursors
         where name = ? for update skip locked`,
        [CURSOR],
      );
      let cursor: { tx_id: string; event_id: string } | undefined = locked[0];
      if (!cursor) return 0;
      let read = 0;
      while (read < MAX_EVENTS_PER_PASS) {
        const events: StreamEvent[] = await lockTx.execute<StreamEvent[]>(
          `select e.id::text as id, e.tx_id::text as tx_id, e.tenant_id, e.ticket_id, e.kind, e.internal, e.data,
                  e.created_at
           from timeline_events e
           where (e.tx_id, e.id) > (?::xid8, ?::bigint) and e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
           order by e.tx_id, e.id
           limit ?`,
          [cursor.tx_id, cursor.event_id, BATCH],
        );
        if (events.length === 0) break;
        const rules = await this.enabledEventRules(lockTx, [...new Set(events.map((e) => e.tenant_id))]);
        for (const event of events) await this.dispatch(lockTx, event, rules.get(event.tenant_id) ?? []);
        const last: StreamEvent = events.at(-1)!;
        cursor = { tx_id: last.tx_id, event_id: last.id };
        await lockTx.execute(
          'update automation_cursors set tx_id = ?::xid8, event_id = ?::bigint, updated_at = now() where name = ?',
          [cursor.tx_id, cursor.event_id, CURSOR],
        );
        read += events.length;
        if (events.length < BATCH) break;
      }
      return read;
    });
  }

  private async enabledEventRules(em: EntityManager, tenantIds: string[]): Promise<Map<string, AutomationRule[]>> {
    const rules = await em.find(
      AutomationRule,
      { enabled: true, tenant: { $in: tenantIds } },
      { orderBy: { position: 'asc', createdAt: 'asc' } },
    );
    const byTenant = new Map<string, AutomationRule[]>();
    for (const rule of rules) {
      if (isTimeTrigger(rule.trigger.type)) continue;
      byTenant.set(rule.tenant.id, [...(byTenant.get(rule.tenant.id) ?? []), rule]);
    }
    return byTenant;
  }

  private async dispatch(em: EntityManager, event: StreamEvent, rules: AutomationRule[]): Promise<void> {
    const mark = automationOf(event);
    const chain = mark?.chain ?? [];
    // Conditions are checked first on a plain read, so that rules that do not apply cost no
    // transaction; the runner checks again under the ticket lock. Facts are read again after a run
    // changed the ticket (a later rule sees what an earlier one did).
    let facts: TicketFacts | null | undefined;
    const currentFacts = async () => {
      if (facts === undefined) {
        const scoped = forTenant(this.orm.em, event.tenant_id);
        const ticket = await scoped.findOne(Ticket, event.ticket_id);
        facts = ticket ? await loadFacts(scoped, ticket) : null;
      }
      return facts;
    };
    for (const rule of rules) {
      if (!eventFires(rule, event)) continue;
      if (new Date(event.created_at) < rule.activeSince) continue;
      // Loop guard: a rule never reacts to a change its own chain made.
      if (chain.includes(rule.id)) continue;
      const updated = rule.trigger.type === 'TICKET_UPDATED';
      // "Updated" fires once per change (one transaction), and not for the creation itself.
      if (updated && (await this.createdIn(em, event))) continue;
      const request = {
        rule,
        ticketId: event.ticket_id,
        triggerKey: updated ? `tx:${event.ticket_id}:${event.tx_id}` : `event:${event.id}`,
        sourceEventId: event.id,
        chain: [...chain, rule.id],
        recordNotMatched: false,
      };
      const known = await currentFacts();
      if (!known || !evaluate(rule.conditions, known)) continue;
      try {
        if (chain.length >= MAX_CHAIN_DEPTH) {
          await this.runner.skip(
            request,
            `Not run: ${MAX_CHAIN_DEPTH} rules already changed this ticket in a row (loop guard)`,
          );
        } else {
          const status = await this.runner.run(request);
          if (status !== 'NOT_MATCHED' && status !== 'DUPLICATE') facts = undefined;
        }
      } catch (error) {
        // The runner logs rule failures itself; this is the database failing under us. The pass
        // ends here and the next one starts again from the cursor.
        log.error({ err: (error as Error).message, ruleId: rule.id, eventId: event.id }, 'automation run failed');
        throw error;
      }
    }
  }

  private async createdIn(em: EntityManager, event: StreamEvent): Promise<boolean> {
    const rows = await em.execute<Array<{ found: boolean }>>(
      `select exists (select 1 from timeline_events where ticket_id = ? and tx_id = ?::xid8 and kind = 'TICKET_CREATED') as found`,
      [event.ticket_id, event.tx_id],
    );
    return rows[0]?.found === true;
  }

  /** Fires time-based rules whose moment has come; returns how many occurrences were settled. */
  async scanTimeTriggers(now: Date = new Date()): Promise<number> {
    const em = acrossTenants(this.orm.em);
    const rules = (
      await em.find(AutomationRule, { enabled: true }, { orderBy: { position: 'asc', createdAt: 'asc' } })
    ).filter((rule) => isTimeTrigger(rule.trigger.type));
    let settled = 0;
    for (const rule of rules) {
      const due = await this.dueOccurrences(em, rule, now);
      for (const occurrence of due) {
        const status = await this.runner.run({
          rule,
          ticketId: occurrence.ticket_id,
          triggerKey: occurrence.key,
          occurrenceAt: new Date(occurrence.since),
          chain: [rule.id],
          recordNotMatched: true,
        });
        if (status !== 'DUPLICATE') settled += 1;
      }
    }
    return settled;
  }

  private async dueOccurrences(
    em: EntityManager,
    rule: AutomationRule,
    now: Date,
  ): Promise<Array<{ ticket_id: string; since: Date; key: string }>> {
    const type = rule.trigger.type as TimeTriggerType;
    const minutes = rule.trigger.minutes ?? 60;
    const dueBefore = new Date(now.getTime() - minutes * 60_000);
    const since: Record<TimeTriggerType, string> = {
      // Unassigned since the last (un)assignment, or since it was created.
      UNASSIGNED_FOR: `coalesce((select max(e.created_at) from timeline_events e
                                 where e.ticket_id = t.id and e.kind = 'ASSIGNED'), t.created_at)`,
      // In its status since the last status change.
      PENDING_FOR: `coalesce((select max(e.created_at) from timeline_events e
                              where e.ticket_id = t.id and e.kind = 'STATUS_CHANGED'), t.created_at)`,
      RESOLVED_FOR: 'coalesce(t.resolved_at, t.updated_at)',
    };
    const state: Record<TimeTriggerType, string> = {
      UNASSIGNED_FOR: `t.assignee_id is null and t.status in (${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`,
      PENDING_FOR: `t.status = 'PENDING_CUSTOMER'`,
      RESOLVED_FOR: `t.status = 'RESOLVED'`,
    };
    return em.execute(
      `with candidates as (
         select t.id as ticket_id, ${since[type]} as since from tickets t
         where t.tenant_id = ? and ${state[type]}
       ), keyed as (
         select ticket_id, since,
                'time:' || ticket_id || ':' || floor(extract(epoch from since) * 1000)::bigint as key
         from candidates where since <= ?
       )
       select ticket_id, since, key from keyed k
       where not exists (select 1 from automation_executions x where x.rule_id = ? and x.trigger_key = k.key)
       order by since
       limit ?`,
      [rule.tenant.id, dueBefore, rule.id, MAX_OCCURRENCES_PER_RULE],
    );
  }
}
