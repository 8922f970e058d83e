// The SLA board: counts of open tickets by SLA state, the at-risk list, breakdowns and compliance.
// Reads only ticket_slas (whose columns mirror what the board groups by), through its indexes.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Ticket } from '../tickets/ticket.entity.js';
import { User } from '../users/user.entity.js';
import { Team } from '../teams/team.entity.js';
import { Company } from '../companies/company.entity.js';
import { SlaState } from './sla.enums.js';

export interface StateCounts {
  ok: number;
  warning: number;
  breached: number;
  paused: number;
}

export interface BreakdownRow extends StateCounts {
  id: string | null;
  label: string;
}

export interface ComplianceDay {
  date: string;
  met: number;
  breached: number;
}

export type BreakdownDimension = 'assignee' | 'team' | 'company';

const COLUMN: Record<BreakdownDimension, string> = {
  assignee: 'assignee_id',
  team: 'team_id',
  company: 'company_id',
};

const UNSET_LABEL: Record<BreakdownDimension, string> = {
  assignee: 'Unassigned',
  team: 'No team',
  company: 'No company',
};

const emptyCounts = (): StateCounts => ({ ok: 0, warning: 0, breached: 0, paused: 0 });

function addCount(counts: StateCounts, state: string, n: number): void {
  if (state === SlaState.OK) counts.ok += n;
  else if (state === SlaState.WARNING) counts.warning += n;
  else if (state === SlaState.BREACHED) counts.breached += n;
  else if (state === SlaState.PAUSED) counts.paused += n;
}

export class SlaBoardService {
  /** From the ledger the ticket_slas trigger keeps (see SlaStateDelta): a sum over a few rows. */
  async counts(em: EntityManager, tenantId: string): Promise<StateCounts> {
    const rows = await em.execute<Array<{ state: string; n: number }>>(
      `select state, sum(delta)::int as n from sla_state_deltas where tenant_id = ? group by state`,
      [tenantId],
    );
    const counts = emptyCounts();
    for (const row of rows) addCount(counts, row.state, row.n);
    return counts;
  }

  /** Open tickets in BREACHED or WARNING: breached first, then soonest due. Two index range scans
   * with a limit each, rather than sorting every at-risk ticket. */
  async atRisk(em: EntityManager, tenantId: string, limit: number): Promise<Ticket[]> {
    const ids: string[] = [];
    for (const state of [SlaState.BREACHED, SlaState.WARNING]) {
      if (ids.length >= limit) break;
      const rows = await em.execute<Array<{ ticket_id: string }>>(
        `select ticket_id from ticket_slas where tenant_id = ? and open and state = ?
         order by soonest_due_at asc nulls last limit ?`,
        [tenantId, state, limit - ids.length],
      );
      ids.push(...rows.map((r) => r.ticket_id));
    }
    if (ids.length === 0) return [];
    const tickets = await em.find(Ticket, { id: { $in: ids } });
    const byId = new Map(tickets.map((t) => [t.id, t]));
    return ids.map((id) => byId.get(id)).filter((t): t is Ticket => Boolean(t));
  }

  async breakdown(em: EntityManager, tenantId: string, dimension: BreakdownDimension): Promise<BreakdownRow[]> {
    const column = COLUMN[dimension];
    const rows = await em.execute<Array<{ key: string | null; state: string; n: number }>>(
      `select ${column} as key, state, count(*)::int as n from ticket_slas
       where tenant_id = ? and open and state <> 'NONE' group by 1, 2`,
      [tenantId],
    );
    const byKey = new Map<string | null, StateCounts>();
    for (const row of rows) {
      const counts = byKey.get(row.key) ?? emptyCounts();
      addCount(counts, row.state, row.n);
      byKey.set(row.key, counts);
    }
    const labels = await this.labels(
      em,
      dimension,
      [...byKey.keys()].filter((k): k is string => k !== null),
    );
    return [...byKey.entries()]
      .map(([id, counts]) => ({ id, label: id ? (labels.get(id) ?? 'Unknown') : UNSET_LABEL[dimension], ...counts }))
      .sort((a, b) => b.breached - a.breached || b.warning - a.warning || a.label.localeCompare(b.label));
  }

  /** Per UTC day: tickets resolved with every target met, and tickets that had their first breach. */
  async compliance(em: EntityManager, tenantId: string, days: number, now = new Date()): Promise<ComplianceDay[]> {
    const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
    const [met, breached] = await Promise.all([
      em.execute<Array<{ day: string; n: number }>>(
        `select to_char(resolved_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n from ticket_slas
         where tenant_id = ? and resolved_at >= ? and breached_at is null and state = 'MET' group by 1`,
        [tenantId, since],
      ),
      em.execute<Array<{ day: string; n: number }>>(
        `select to_char(breached_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as n from ticket_slas
         where tenant_id = ? and breached_at >= ? group by 1`,
        [tenantId, since],
      ),
    ]);
    const metByDay = new Map(met.map((r) => [r.day, r.n]));
    const breachedByDay = new Map(breached.map((r) => [r.day, r.n]));
    return Array.from({ length: days }, (_, i) => {
      const date = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
      return { date, met: metByDay.get(date) ?? 0, breached: breachedByDay.get(date) ?? 0 };
    });
  }

  private async labels(em: EntityManager, dimension: BreakdownDimension, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const entity = dimension === 'assignee' ? User : dimension === 'team' ? Team : Company;
    const rows = await em.find(entity as typeof Team, { id: { $in: ids } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
