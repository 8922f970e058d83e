// The inbox's filters and sort, kept in the address (so a view can be shared, reloaded, bookmarked),
// turned into the API's TicketFilter, and checked on the client for tickets that arrive live.
import type { InboxTicketFragment, Level, TicketFilter, TicketSort, TicketStatus } from '../../gql/graphql';
import { ACTIVE_STATUSES, LEVELS, STATUSES, isLevel, isStatus } from '../tickets/labels';

/** `me`, `unassigned`, `anyone`, or an agent's id. */
export type AssigneeFilter = string;

export interface InboxFilters {
  /** Explicit statuses; empty means the default: everything not resolved or closed. */
  status: TicketStatus[];
  /** All statuses, resolved and closed included. */
  allStatuses: boolean;
  assignee: AssigneeFilter;
  urgency: Level[];
  importance: Level[];
  tag: string | null;
  q: string;
  sort: TicketSort;
}

export const SORTS: ReadonlyArray<{ value: TicketSort; label: string }> = [
  { value: 'NEWEST', label: 'Newest first' },
  { value: 'OLDEST', label: 'Oldest first' },
  { value: 'RECENT_ACTIVITY', label: 'Recent activity' },
  { value: 'PRIORITY', label: 'Priority' },
];

function isSort(value: string | null): value is TicketSort {
  return SORTS.some((sort) => sort.value === value);
}

function list<T extends string>(value: string | null, valid: (v: unknown) => v is T): T[] {
  if (!value) return [];
  return value.split(',').filter(valid);
}

export function readFilters(params: URLSearchParams): InboxFilters {
  const status = params.get('status');
  return {
    status: status === 'all' ? [] : list(status, isStatus),
    allStatuses: status === 'all',
    assignee: params.get('assignee') || 'anyone',
    urgency: list(params.get('urgency'), isLevel),
    importance: list(params.get('importance'), isLevel),
    tag: params.get('tag')?.trim() || null,
    q: params.get('q') ?? '',
    sort: isSort(params.get('sort')) ? (params.get('sort') as TicketSort) : 'NEWEST',
  };
}

export function writeFilters(filters: InboxFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.allStatuses) params.set('status', 'all');
  else if (filters.status.length) params.set('status', filters.status.join(','));
  if (filters.assignee !== 'anyone') params.set('assignee', filters.assignee);
  if (filters.urgency.length) params.set('urgency', filters.urgency.join(','));
  if (filters.importance.length) params.set('importance', filters.importance.join(','));
  if (filters.tag) params.set('tag', filters.tag);
  if (filters.q.trim()) params.set('q', filters.q);
  if (filters.sort !== 'NEWEST') params.set('sort', filters.sort);
  return params;
}

export const DEFAULT_FILTERS: InboxFilters = readFilters(new URLSearchParams());

export function isDefault(filters: InboxFilters): boolean {
  return writeFilters({ ...filters, sort: 'NEWEST', assignee: 'anyone' }).toString() === '';
}

export function effectiveStatuses(filters: InboxFilters): readonly TicketStatus[] {
  if (filters.allStatuses) return STATUSES;
  return filters.status.length ? filters.status : ACTIVE_STATUSES;
}

export function toTicketFilter(filters: InboxFilters, viewerId: string): TicketFilter {
  const filter: TicketFilter = {};
  if (!filters.allStatuses) filter.status = [...effectiveStatuses(filters)];
  if (filters.assignee === 'me') filter.assigneeIds = [viewerId];
  else if (filters.assignee === 'unassigned') filter.unassigned = true;
  else if (filters.assignee !== 'anyone') filter.assigneeIds = [filters.assignee];
  if (filters.urgency.length) filter.urgency = filters.urgency;
  if (filters.importance.length) filter.importance = filters.importance;
  if (filters.tag) filter.tags = [filters.tag];
  if (filters.q.trim()) filter.query = filters.q.trim();
  return filter;
}

/**
 * Whether a ticket that arrived live belongs in the list as filtered. The search box is matched
 * loosely (the server's full-text search decides on the next load).
 */
export function matchesFilters(ticket: InboxTicketFragment, filters: InboxFilters, viewerId: string): boolean {
  if (!effectiveStatuses(filters).includes(ticket.status)) return false;
  const assignee = ticket.assignee?.id ?? null;
  if (filters.assignee === 'me' && assignee !== viewerId) return false;
  if (filters.assignee === 'unassigned' && assignee !== null) return false;
  if (!['me', 'unassigned', 'anyone'].includes(filters.assignee) && assignee !== filters.assignee) return false;
  if (filters.urgency.length && !filters.urgency.includes(ticket.urgency)) return false;
  if (filters.importance.length && !filters.importance.includes(ticket.importance)) return false;
  if (filters.tag && !ticket.tags.includes(filters.tag.toLowerCase())) return false;
  const q = filters.q.trim().toLowerCase();
  if (q) {
    const number = /^#?(\d{1,9})$/.exec(q);
    if (number) return ticket.number === Number(number[1]);
    const haystack = `${ticket.title} ${ticket.requester?.name ?? ''}`.toLowerCase();
    return q.split(/\s+/).every((word) => haystack.includes(word));
  }
  return true;
}

const rank = (level: Level) => LEVELS.indexOf(level);

/** Negative when `a` comes before `b` in the list's order. */
export function compareTickets(a: InboxTicketFragment, b: InboxTicketFragment, sort: TicketSort): number {
  const created = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  switch (sort) {
    case 'OLDEST':
      return created;
    case 'RECENT_ACTIVITY':
      return Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
    case 'PRIORITY':
      return rank(a.urgency) - rank(b.urgency) || rank(a.importance) - rank(b.importance) || created;
    default:
      return -created;
  }
}

/**
 * Where a new ticket goes among the loaded rows, or null when it sorts after all of them while
 * more pages remain (it will come with "load more").
 */
export function insertionIndex(
  nodes: readonly InboxTicketFragment[],
  ticket: InboxTicketFragment,
  sort: TicketSort,
  hasMore: boolean,
): number | null {
  const index = nodes.findIndex((node) => compareTickets(ticket, node, sort) < 0);
  if (index >= 0) return index;
  return hasMore ? null : nodes.length;
}
