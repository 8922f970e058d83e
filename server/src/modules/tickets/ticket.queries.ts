// Reading tickets: the inbox list (filters, sorting, keyset pages) and single tickets.
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { afterCursor, encodeCursor, type SortKey } from '../../lib/keyset.js';
import { isUuid } from '../../lib/ids.js';
import { Ticket } from './ticket.entity.js';
import type { Level, TicketStatus } from './ticket.enums.js';
import { visibleTickets, type TicketAudience } from './ticket.policy.js';
import { normaliseTags } from './ticket.service.js';

export interface TicketListFilter {
  status?: TicketStatus[] | null;
  query?: string | null;
  assigneeIds?: string[] | null;
  unassigned?: boolean | null;
  urgency?: Level[] | null;
  importance?: Level[] | null;
  tags?: string[] | null;
  requesterId?: string | null;
  teamId?: string | null;
  emailAddressId?: string | null;
}

export type TicketSortName = 'NEWEST' | 'OLDEST' | 'RECENT_ACTIVITY' | 'PRIORITY';

const time = (field: 'createdAt' | 'lastActivityAt', direction: 'asc' | 'desc'): SortKey<Ticket> => ({
  field,
  direction,
  encode: (t) => t[field].toISOString(),
  decode: (v) => new Date(String(v)),
});
const text = (field: 'urgency' | 'importance' | 'id'): SortKey<Ticket> => ({
  field,
  direction: 'asc',
  encode: (t) => t[field],
  decode: (v) => String(v),
});
const idKey = (direction: 'asc' | 'desc'): SortKey<Ticket> => ({ ...text('id'), direction });

export const SORTS: Record<TicketSortName, SortKey<Ticket>[]> = {
  NEWEST: [time('createdAt', 'desc'), idKey('desc')],
  OLDEST: [time('createdAt', 'asc'), idKey('asc')],
  RECENT_ACTIVITY: [time('lastActivityAt', 'desc'), idKey('desc')],
  // The level enums are declared CRITICAL first, so ascending order is most pressing first.
  PRIORITY: [text('urgency'), text('importance'), time('createdAt', 'asc'), idKey('asc')],
};

export interface TicketPage {
  nodes: Ticket[];
  /** Counted only when asked for: on a large inbox the count costs more than the page. */
  countTotal(): Promise<number>;
  endCursor: string | null;
  hasNextPage: boolean;
}

export const MAX_PAGE = 100;

export class TicketQueries {
  async byId(em: EntityManager, audience: TicketAudience, id: string): Promise<Ticket | null> {
    if (!isUuid(id)) return null;
    return em.findOne(Ticket, { $and: [{ id }, visibleTickets(audience)] });
  }

  async page(
    em: EntityManager,
    audience: TicketAudience,
    filter: TicketListFilter,
    options: { first?: number | null; after?: string | null; sort?: TicketSortName | null },
  ): Promise<TicketPage> {
    const limit = Math.min(Math.max(options.first ?? 25, 1), MAX_PAGE);
    const keys = SORTS[options.sort ?? 'NEWEST'];
    const where: FilterQuery<Ticket> = { $and: [visibleTickets(audience), ...this.conditions(filter)] };
    const paged: FilterQuery<Ticket> = options.after
      ? { $and: [where, afterCursor(keys, options.after) as FilterQuery<Ticket>] }
      : where;
    const orderBy = keys.map((k) => ({ [k.field]: k.direction })) as QueryOrderMap<Ticket>[];
    const rows = await em.find(Ticket, paged, { orderBy, limit: limit + 1 });
    const nodes = rows.slice(0, limit);
    const last = nodes.at(-1);
    return {
      nodes,
      countTotal: () => em.count(Ticket, where),
      endCursor: last ? encodeCursor(keys, last) : null,
      hasNextPage: rows.length > limit,
    };
  }

  private conditions(filter: TicketListFilter): FilterQuery<Ticket>[] {
    const all: FilterQuery<Ticket>[] = [];
    if (filter.status?.length) all.push({ status: { $in: filter.status } });
    if (filter.urgency?.length) all.push({ urgency: { $in: filter.urgency } });
    if (filter.importance?.length) all.push({ importance: { $in: filter.importance } });
    if (filter.tags?.length) all.push({ tags: { $contains: normaliseTags(filter.tags) } });
    const assignees = (filter.assigneeIds ?? []).filter(isUuid);
    if (filter.unassigned && assignees.length)
      all.push({ $or: [{ assignee: null }, { assignee: { $in: assignees } }] });
    else if (filter.unassigned) all.push({ assignee: null });
    else if (filter.assigneeIds?.length) all.push({ assignee: { $in: assignees } });
    // A malformed id matches nothing rather than everything.
    if (filter.requesterId) all.push(isUuid(filter.requesterId) ? { requester: filter.requesterId } : { id: null });
    if (filter.teamId) all.push(isUuid(filter.teamId) ? { team: filter.teamId } : { id: null });
    if (filter.emailAddressId) {
      all.push(isUuid(filter.emailAddressId) ? { emailAddress: filter.emailAddressId } : { id: null });
    }
    const query = filter.query?.trim();
    if (query) all.push(this.search(query));
    return all;
  }

  private search(query: string): FilterQuery<Ticket> {
    const number = /^#?(\d{1,9})$/.exec(query);
    const words = { [raw("search_vector @@ websearch_to_tsquery('simple', ?)", [query])]: true } as FilterQuery<Ticket>;
    return number ? { $or: [{ number: Number(number[1]) }, words] } : words;
  }
}
