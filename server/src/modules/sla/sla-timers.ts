// The timer side of SLAs, for the workers: finds tickets whose next warning or breach time has
// passed and records it. Rows are claimed with FOR UPDATE SKIP LOCKED (ticket and SLA row
// together, in the order every ticket change takes them), so any number of workers can run this at
// once; sla_firings' unique key makes a second recording impossible even so.
import type { MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants } from '../../db/tenant-scope.js';
import { Ticket } from '../tickets/ticket.entity.js';
import type { SlaTracker } from './sla-tracker.js';

export interface TimerPass {
  /** Tickets looked at. */
  checked: number;
  /** Warnings and breaches recorded. */
  fired: number;
}

export class SlaTimers {
  constructor(
    private readonly orm: MikroORM,
    private readonly tracker: SlaTracker,
  ) {}

  /** One batch in one transaction. */
  async fireDue(limit = 100, now = new Date()): Promise<TimerPass> {
    return acrossTenants(this.orm.em).transactional(async (tx) => {
      const due = await tx.execute<Array<{ ticket_id: string }>>(
        `select s.ticket_id from ticket_slas s join tickets t on t.id = s.ticket_id
         where s.next_check_at <= ? order by s.next_check_at limit ? for update of s, t skip locked`,
        [now, limit],
      );
      let fired = 0;
      for (const { ticket_id: ticketId } of due) {
        const ticket = await tx.findOneOrFail(Ticket, ticketId, { populate: ['assignee'] });
        const row = await this.tracker.load(tx, ticketId);
        if (row) fired += await this.tracker.fireDue(tx, ticket, row, now);
      }
      return { checked: due.length, fired };
    });
  }

  /**
   * Folds the board's count ledger into one row per tenant and state (rows committed meanwhile are
   * not seen by the delete and stay for the next fold). Cheap when there is little to fold.
   */
  async compactCounts(threshold = 500): Promise<number> {
    const connection = this.orm.em.fork().getConnection();
    const pending = await connection.execute<Array<{ n: number }>>(
      'select count(*)::int as n from (select 1 from sla_state_deltas limit ?) s',
      [threshold + 1],
    );
    if ((pending[0]?.n ?? 0) <= threshold) return 0;
    const rows = await connection.execute<Array<{ folded: number }>>(
      `with folded as (delete from sla_state_deltas returning tenant_id, state, delta),
            summed as (insert into sla_state_deltas (tenant_id, state, delta)
                       select tenant_id, state, sum(delta) from folded group by tenant_id, state returning 1)
       select count(*)::int as folded from folded`,
    );
    return rows[0]?.folded ?? 0;
  }

  /** When the next warning or breach anywhere comes due (null: nothing pending). */
  async nextDueAt(): Promise<Date | null> {
    const rows = await this.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ at: Date | null }>>('select min(next_check_at) as at from ticket_slas');
    const at = rows[0]?.at;
    return at ? new Date(at) : null;
  }
}
