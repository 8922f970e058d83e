// Ticket.sla, batched per request: a page of 50 tickets reads its SLA rows in one query.
import DataLoader from 'dataloader';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context.js';
import { requireViewer } from '../../graphql/authorization.js';
import { isStaffRole } from '../users/user.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { TicketSla } from './ticket-sla.entity.js';
import { SlaState } from './sla.enums.js';
import { TicketSlaView } from './sla.types.js';

const loaders = new WeakMap<RequestContext, DataLoader<string, TicketSla | null>>();

function loaderFor(ctx: RequestContext, em: EntityManager): DataLoader<string, TicketSla | null> {
  let loader = loaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(
      async (ticketIds) => {
        const rows = await em.fork().find(TicketSla, { ticket: { $in: [...ticketIds] } }, { populate: ['policy'] });
        const byTicket = new Map(rows.map((r) => [r.ticket.id, r]));
        return ticketIds.map((id) => byTicket.get(id) ?? null);
      },
      { cache: false },
    );
    loaders.set(ctx, loader);
  }
  return loader;
}

const due = (value: string | null) => (value ? new Date(value) : null);

@Resolver(() => Ticket)
export class TicketSlaResolver {
  @FieldResolver(() => TicketSlaView, {
    nullable: true,
    description: "The ticket's SLA; null for customers (SLAs are internal).",
  })
  async sla(@Root() ticket: Ticket, @Ctx() ctx: RequestContext): Promise<TicketSlaView | null> {
    const { viewer, em } = requireViewer(ctx);
    if (!isStaffRole(viewer.role)) return null;
    const row = await loaderFor(ctx, em).load(ticket.id);
    if (!row) {
      return {
        state: SlaState.NONE,
        firstResponseDueAt: null,
        nextResponseDueAt: null,
        resolutionDueAt: null,
        breachedAt: null,
        policyName: null,
      };
    }
    return {
      state: row.state,
      firstResponseDueAt: due(row.clocks.FIRST_RESPONSE.dueAt),
      nextResponseDueAt: due(row.clocks.NEXT_RESPONSE.dueAt),
      resolutionDueAt: due(row.clocks.RESOLUTION.dueAt),
      breachedAt: row.breachedAt ?? null,
      policyName: row.policy?.name ?? null,
    };
  }
}
