// The live inbox at /inbox: a dense, sortable, filterable ticket list that updates in place as
// tickets are created and changed anywhere, without moving what the agent is looking at.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { NetworkStatus } from '@apollo/client';
import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import {
  AgentsDocument,
  InboxEventsDocument,
  InboxTicketsDocument,
  type InboxTicketFragment,
  type InboxTicketsQuery,
  type InboxTicketsQueryVariables,
  type Level,
  type TicketStatus,
} from '../../gql/graphql';
import { useSocketStatus } from '../../app/socket-status';
import { useNow } from '../../shared/format/time';
import {
  Button,
  CheckCircleIcon,
  CloseIcon,
  EmptyState,
  FilterIcon,
  Kbd,
  Notice,
  PlusIcon,
  SearchIcon,
  Skeleton,
  SortIcon,
  TagIcon,
  TargetIcon,
  UserIcon,
  ZapIcon,
  cx,
} from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { ACTIVE_STATUSES, LEVELS, STATUSES, levelLabel, statusLabel } from '../tickets/labels';
import { FilterMenu } from './FilterMenu';
import {
  DEFAULT_FILTERS,
  SORTS,
  effectiveStatuses,
  insertionIndex,
  isDefault,
  matchesFilters,
  readFilters,
  toTicketFilter,
  writeFilters,
  type InboxFilters,
} from './filters';
import { InboxRow } from './InboxRow';
import { ShortcutsHelp } from './ShortcutsHelp';
import { LiveChatWaiting } from '../livechat/LiveChatNavLink';
import './inbox.css';

const PAGE_SIZE = 50;

/** Where the agent was in the list, so that coming back from a ticket lands there again. */
const memory: { view: string; scrollTop: number; selectedId: string | null } = {
  view: '',
  scrollTop: 0,
  selectedId: null,
};
const FLASH_MS = 2400;

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item) => b.includes(item));
}

function viewTitle(filters: InboxFilters): string {
  if (filters.assignee === 'me') return 'Assigned to me';
  if (filters.assignee === 'unassigned') return 'Unassigned';
  return 'Inbox';
}

function isTypingTarget(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && Boolean(target.closest('input, textarea, select, [contenteditable="true"]'));
}

export function InboxPage() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const client = useApolloClient();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const variables = useMemo<InboxTicketsQueryVariables>(
    () => ({ filter: toTicketFilter(filters, viewer.id), sort: filters.sort, first: PAGE_SIZE }),
    [filters, viewer.id],
  );
  const { data, previousData, error, fetchMore, refetch, networkStatus } = useQuery(InboxTicketsDocument, {
    variables,
    notifyOnNetworkStatusChange: true,
  });
  const agents = useQuery(AgentsDocument).data?.agents ?? [];
  const shown = data ?? previousData;
  const nodes = useMemo(() => shown?.tickets.nodes ?? [], [shown]);
  const hasMore = shown?.tickets.pageInfo.hasNextPage ?? false;
  const now = useNow(30_000);
  const socket = useSocketStatus();

  const setFilters = useCallback((next: InboxFilters) => setParams(writeFilters(next), { replace: true }), [setParams]);

  // Live: rows update in place (the cache does that), new ones are inserted where they sort.
  const scrollerRef = useRef<HTMLDivElement>(null);
  const anchorRef = useRef<{ id: string; top: number } | null>(null);
  const [flashes, setFlashes] = useState<Record<string, number>>({});
  const flash = useCallback((id: string) => {
    setFlashes((all) => ({ ...all, [id]: (all[id] ?? 0) + 1 }));
    window.setTimeout(() => {
      setFlashes((all) => {
        const { [id]: _gone, ...rest } = all;
        return rest;
      });
    }, FLASH_MS);
  }, []);

  /** Remembers the first visible row and where it is, to keep it there after rows are inserted. */
  const captureAnchor = () => {
    const scroller = scrollerRef.current;
    if (!scroller || scroller.scrollTop <= 0) return;
    const top = scroller.getBoundingClientRect().top;
    for (const row of scroller.querySelectorAll<HTMLElement>('[data-ticket-id]')) {
      const rect = row.getBoundingClientRect();
      if (rect.bottom > top) {
        anchorRef.current = { id: row.dataset['ticketId'] ?? '', top: rect.top - top };
        return;
      }
    }
  };

  useLayoutEffect(() => {
    const anchor = anchorRef.current;
    const scroller = scrollerRef.current;
    anchorRef.current = null;
    if (!anchor || !scroller) return;
    const row = scroller.querySelector<HTMLElement>(`[data-ticket-id="${CSS.escape(anchor.id)}"]`);
    if (!row) return;
    const delta = row.getBoundingClientRect().top - scroller.getBoundingClientRect().top - anchor.top;
    if (delta !== 0) scroller.scrollTop += delta;
  }, [nodes]);

  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const variablesRef = useRef(variables);
  variablesRef.current = variables;

  useSubscription(InboxEventsDocument, {
    onData: ({ data: result }) => {
      const event = result.data?.inboxEvents;
      if (!event) return;
      const ticket: InboxTicketFragment = event.ticket;
      const current = client.cache.readQuery({ query: InboxTicketsDocument, variables: variablesRef.current });
      if (!current) return;
      const present = current.tickets.nodes.some((node) => node.id === ticket.id);
      if (present) {
        flash(ticket.id);
        return;
      }
      if (!matchesFilters(ticket, filtersRef.current, viewer.id)) return;
      const index = insertionIndex(
        current.tickets.nodes,
        ticket,
        filtersRef.current.sort,
        current.tickets.pageInfo.hasNextPage,
      );
      if (index === null) return;
      captureAnchor();
      client.cache.updateQuery(
        { query: InboxTicketsDocument, variables: variablesRef.current },
        (list): InboxTicketsQuery | undefined => {
          if (!list || list.tickets.nodes.some((node) => node.id === ticket.id)) return list ?? undefined;
          const rows = [...list.tickets.nodes];
          rows.splice(Math.min(index, rows.length), 0, ticket);
          return { tickets: { ...list.tickets, nodes: rows, totalCount: list.tickets.totalCount + 1 } };
        },
      );
      flash(ticket.id);
    },
  });

  // Back from a dropped connection: load again what may have changed meanwhile.
  const reconnects = useRef(socket.reconnects);
  useEffect(() => {
    if (socket.reconnects === reconnects.current) return;
    reconnects.current = socket.reconnects;
    void refetch().catch(() => undefined);
  }, [socket.reconnects, refetch]);

  // Keyboard: j/k or arrows select, Enter opens, / searches, c creates, ? helps.
  const view = params.toString();
  const [selectedId, setSelectedId] = useState<string | null>(() => (memory.view === view ? memory.selectedId : null));
  memory.selectedId = selectedId;

  // Back from a ticket: the same scroll position (the list comes from the cache at once).
  const restored = useRef(false);
  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (restored.current || !scroller || nodes.length === 0) return;
    restored.current = true;
    if (memory.view === view) scroller.scrollTop = memory.scrollTop;
  }, [nodes, view]);
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const remember = () => {
      memory.view = view;
      memory.scrollTop = scroller.scrollTop;
    };
    remember();
    scroller.addEventListener('scroll', remember, { passive: true });
    return () => scroller.removeEventListener('scroll', remember);
  }, [view]);
  const [helpOpen, setHelpOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const nodesRef = useRef(nodes);
  nodesRef.current = nodes;
  const selectedRef = useRef(selectedId);
  selectedRef.current = selectedId;

  const focusRow = useCallback((id: string) => {
    const link = scrollerRef.current?.querySelector<HTMLElement>(`[data-ticket-id="${CSS.escape(id)}"] a`);
    link?.focus({ preventScroll: true });
    link?.scrollIntoView({ block: 'nearest' });
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
      if (isTypingTarget(event.target)) {
        if (event.key === 'Escape' && event.target === searchRef.current) searchRef.current?.blur();
        if (event.key === 'ArrowDown' && event.target === searchRef.current && nodesRef.current[0]) {
          event.preventDefault();
          focusRow(selectedRef.current ?? nodesRef.current[0].id);
        }
        return;
      }
      const rows = nodesRef.current;
      const index = rows.findIndex((row) => row.id === selectedRef.current);
      const move = (step: number) => {
        const next = rows[index < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, index + step))];
        if (!next) return;
        setSelectedId(next.id);
        focusRow(next.id);
      };
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          event.preventDefault();
          move(1);
          break;
        case 'k':
        case 'ArrowUp':
          event.preventDefault();
          move(-1);
          break;
        case 'Enter': {
          const focusedLink = event.target instanceof HTMLElement && event.target.closest('a, button');
          if (!focusedLink && selectedRef.current) {
            event.preventDefault();
            navigate(`/tickets/${selectedRef.current}`);
          }
          break;
        }
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case 'c':
          event.preventDefault();
          navigate('/tickets/new');
          break;
        case '?':
          event.preventDefault();
          setHelpOpen((open) => !open);
          break;
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [navigate, focusRow]);

  const loading = networkStatus === NetworkStatus.loading || networkStatus === NetworkStatus.setVariables;
  const loadingMore = networkStatus === NetworkStatus.fetchMore;
  const total = shown?.tickets.totalCount ?? 0;

  const loadMore = () => {
    const after = shown?.tickets.pageInfo.endCursor;
    if (!after || loadingMore) return;
    void fetchMore({ variables: { ...variables, after } }).catch(() => undefined);
  };

  const knownTags = useMemo(() => [...new Set(nodes.flatMap((node) => node.tags))].sort(), [nodes]);

  return (
    <div className="ib">
      <title>{`${viewTitle(filters)} · ${viewer.tenant.name} · Switchboard`}</title>
      <header className="ib-header">
        <div className="ib-header__title">
          <h1 className="ib-title">{viewTitle(filters)}</h1>
          {shown && (
            <span className="ib-count" aria-live="polite">
              {total === 1 ? '1 ticket' : `${total.toLocaleString()} tickets`}
            </span>
          )}
          <LiveBadge state={socket.state} />
        </div>
        <div className="ib-header__actions">
          <LiveChatWaiting />
          <ShortcutsHelp open={helpOpen} onOpenChange={setHelpOpen} />
          <Link to="/tickets/new" className="sb-button sb-button--primary ib-new" title="New ticket (c)">
            <PlusIcon size={16} />
            <span>New ticket</span>
            <Kbd>c</Kbd>
          </Link>
        </div>
      </header>
      <Toolbar
        filters={filters}
        onChange={setFilters}
        agents={agents}
        viewerId={viewer.id}
        knownTags={knownTags}
        searchRef={searchRef}
      />
      <div className="ib-scroller" ref={scrollerRef}>
        {error && !shown && (
          <div className="ib-problem">
            <Notice tone="danger" title="The inbox could not be loaded">
              Check your connection and try again.
            </Notice>
            <Button onClick={() => void refetch().catch(() => undefined)}>Try again</Button>
          </div>
        )}
        {!shown && !error && <InboxSkeleton />}
        {shown && nodes.length === 0 && (
          <EmptyState
            icon={isDefault(filters) ? <CheckCircleIcon size={22} /> : <FilterIcon size={22} />}
            title={isDefault(filters) ? 'All caught up' : 'No tickets match these filters'}
            action={
              isDefault(filters) ? (
                <Link to="/tickets/new" className="sb-button sb-button--secondary">
                  <PlusIcon size={16} /> New ticket
                </Link>
              ) : (
                <Button
                  onClick={() => setFilters({ ...DEFAULT_FILTERS, assignee: filters.assignee, sort: filters.sort })}
                >
                  Clear filters
                </Button>
              )
            }
          >
            {isDefault(filters)
              ? 'Nothing is waiting here. New requests appear the moment they arrive.'
              : 'Try fewer filters or a different search.'}
          </EmptyState>
        )}
        {nodes.length > 0 && (
          <ul
            className={cx('ib-list', loading && 'ib-list--stale')}
            aria-label="Tickets"
            aria-busy={loading || undefined}
          >
            {nodes.map((ticket) => (
              <InboxRow
                key={ticket.id}
                ticket={ticket}
                selected={ticket.id === selectedId}
                flash={flashes[ticket.id] ?? 0}
                now={now}
                onSelect={setSelectedId}
              />
            ))}
          </ul>
        )}
        {shown && !hasMore && nodes.length > 8 && <p className="ib-end">That’s everything.</p>}
        {hasMore && (
          <div className="ib-more">
            <Button onClick={loadMore} loading={loadingMore}>
              Load more
            </Button>
            <span className="ib-more__count">
              Showing {nodes.length} of {total.toLocaleString()}
            </span>
          </div>
        )}
      </div>
    </div>
  );
}

function LiveBadge({ state }: { state: 'connecting' | 'up' | 'down' }) {
  const label = state === 'up' ? 'Live' : state === 'down' ? 'Reconnecting…' : 'Connecting…';
  return (
    <span
      className={cx('ib-live', `ib-live--${state}`)}
      title={state === 'up' ? 'Changes appear as they happen' : 'Live updates are paused until the connection is back'}
    >
      <span className="ib-live__dot" aria-hidden="true" />
      {label}
    </span>
  );
}

function InboxSkeleton() {
  return (
    <ul className="ib-list" aria-busy="true" aria-label="Loading tickets">
      {Array.from({ length: 8 }, (_, row) => (
        <li key={row} className="ib-row ib-row--skeleton">
          <span className="ib-row__link">
            <Skeleton width={40} height={12} />
            <Skeleton width={32} height={12} />
            <span className="ib-row__main">
              <Skeleton width={`${55 - ((row * 13) % 25)}%`} height={12} />
            </span>
            <Skeleton width={80} height={18} radius={999} />
            <Skeleton width={24} height={24} radius={999} />
            <Skeleton width={28} height={12} />
          </span>
        </li>
      ))}
    </ul>
  );
}

interface ToolbarProps {
  filters: InboxFilters;
  onChange(filters: InboxFilters): void;
  agents: ReadonlyArray<{ id: string; name: string }>;
  viewerId: string;
  knownTags: readonly string[];
  searchRef: RefObject<HTMLInputElement | null>;
}

function statusSummary(filters: InboxFilters): string | null {
  if (filters.allStatuses) return 'All';
  if (!filters.status.length) return null;
  if (filters.status.length === 1 && filters.status[0]) return statusLabel(filters.status[0]);
  return `${filters.status.length} statuses`;
}

function levelSummary(levels: readonly Level[]): string | null {
  if (!levels.length) return null;
  return levels.length === 1 && levels[0] ? levelLabel(levels[0]) : `${levels.length} levels`;
}

function Toolbar({ filters, onChange, agents, viewerId, knownTags, searchRef }: ToolbarProps) {
  const [search, setSearch] = useState(filters.q);
  const [tagDraft, setTagDraft] = useState('');
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  // The address changed elsewhere (a navigation link, back button): show its search. Not when the
  // change is this box's own, which would undo anything typed since.
  const pushed = useRef(filters.q);
  useEffect(() => {
    if (filters.q !== pushed.current) setSearch(filters.q);
    pushed.current = filters.q;
  }, [filters.q]);

  // Typing searches after a short pause.
  useEffect(() => {
    if (search === filtersRef.current.q) return;
    const timer = window.setTimeout(() => {
      pushed.current = search;
      onChange({ ...filtersRef.current, q: search });
    }, 250);
    return () => window.clearTimeout(timer);
  }, [search, onChange]);

  const assigneeSummary =
    filters.assignee === 'anyone'
      ? null
      : filters.assignee === 'me'
        ? 'Me'
        : filters.assignee === 'unassigned'
          ? 'Unassigned'
          : (agents.find((agent) => agent.id === filters.assignee)?.name ?? 'Agent');

  const setStatuses = (values: string[]) => {
    const chosen = STATUSES.filter((status) => values.includes(status));
    if (chosen.length === STATUSES.length) onChange({ ...filters, status: [], allStatuses: true });
    else if (chosen.length === 0 || sameSet<TicketStatus>(chosen, ACTIVE_STATUSES))
      onChange({ ...filters, status: [], allStatuses: false });
    else onChange({ ...filters, status: chosen, allStatuses: false });
  };

  const levelOptions = (Icon: typeof ZapIcon) =>
    LEVELS.map((level) => ({
      value: level,
      label: levelLabel(level),
      icon: level === 'CRITICAL' ? <Icon size={14} className="ib-critical-icon" /> : undefined,
    }));

  const activeFilters = !isDefault(filters) || filters.assignee !== 'anyone';

  return (
    <div className="ib-toolbar" role="search">
      <label className="ib-search">
        <SearchIcon size={16} className="ib-search__icon" />
        <span className="sb-visually-hidden">Search tickets</span>
        <input
          ref={searchRef}
          type="search"
          className="ib-search__input"
          placeholder="Search or #number"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') onChange({ ...filters, q: search });
          }}
        />
        {search ? (
          <button
            type="button"
            className="sb-icon-button sb-icon-button--sm ib-search__clear"
            aria-label="Clear search"
            onClick={() => {
              setSearch('');
              onChange({ ...filters, q: '' });
            }}
          >
            <CloseIcon size={14} />
          </button>
        ) : (
          <Kbd>/</Kbd>
        )}
      </label>
      <div className="ib-toolbar__filters">
        <FilterMenu
          label="Status"
          summary={statusSummary(filters)}
          multiple
          options={STATUSES.map((status) => ({
            value: status,
            label: statusLabel(status),
            icon: <span className={`sb-status-dot sb-status-dot--${status.toLowerCase()}`} />,
          }))}
          selected={effectiveStatuses(filters)}
          onChange={setStatuses}
        >
          {(close) => (
            <div className="ib-filter__footer">
              <button
                type="button"
                className="tk-link-button"
                onClick={() => {
                  onChange({ ...filters, status: [], allStatuses: false });
                  close();
                }}
              >
                Not resolved or closed
              </button>
              <button
                type="button"
                className="tk-link-button"
                onClick={() => {
                  onChange({ ...filters, status: [], allStatuses: true });
                  close();
                }}
              >
                All
              </button>
            </div>
          )}
        </FilterMenu>
        <FilterMenu
          label="Assignee"
          icon={<UserIcon size={14} />}
          summary={assigneeSummary}
          options={[
            { value: 'anyone', label: 'Anyone' },
            { value: 'me', label: 'Me' },
            { value: 'unassigned', label: 'Unassigned' },
            ...agents.filter((agent) => agent.id !== viewerId).map((agent) => ({ value: agent.id, label: agent.name })),
          ]}
          sections={
            agents.some((agent) => agent.id !== viewerId)
              ? { [agents.find((a) => a.id !== viewerId)?.id ?? '']: 'Agents' }
              : {}
          }
          selected={[filters.assignee]}
          onChange={([value]) => onChange({ ...filters, assignee: value ?? 'anyone' })}
        />
        <FilterMenu
          label="Urgency"
          icon={<ZapIcon size={14} />}
          summary={levelSummary(filters.urgency)}
          multiple
          options={levelOptions(ZapIcon)}
          selected={filters.urgency}
          onChange={(values) => onChange({ ...filters, urgency: LEVELS.filter((level) => values.includes(level)) })}
        />
        <FilterMenu
          label="Importance"
          icon={<TargetIcon size={14} />}
          summary={levelSummary(filters.importance)}
          multiple
          options={levelOptions(TargetIcon)}
          selected={filters.importance}
          onChange={(values) => onChange({ ...filters, importance: LEVELS.filter((level) => values.includes(level)) })}
        />
        <FilterMenu
          label="Tag"
          icon={<TagIcon size={14} />}
          summary={filters.tag}
          options={[
            ...(filters.tag ? [{ value: '', label: 'Any tag' }] : []),
            ...knownTags.map((tag) => ({ value: tag, label: tag })),
          ]}
          selected={[filters.tag ?? '']}
          onChange={([value]) => onChange({ ...filters, tag: value || null })}
        >
          {(close) => (
            <form
              className="ib-filter__tag-form"
              onSubmit={(event) => {
                event.preventDefault();
                const tag = tagDraft.trim().toLowerCase().replace(/^#/, '');
                if (!tag) return;
                onChange({ ...filters, tag });
                setTagDraft('');
                close();
              }}
            >
              <input
                className="ib-filter__tag-input"
                placeholder="Type a tag and press Enter"
                aria-label="Filter by tag"
                value={tagDraft}
                autoFocus={knownTags.length === 0}
                onChange={(event) => setTagDraft(event.target.value)}
              />
            </form>
          )}
        </FilterMenu>
        {activeFilters && (
          <button
            type="button"
            className="tk-link-button ib-clear"
            onClick={() => {
              setSearch('');
              onChange({ ...DEFAULT_FILTERS, sort: filters.sort });
            }}
          >
            Clear
          </button>
        )}
      </div>
      <div className="ib-toolbar__end">
        <FilterMenu
          label="Sort"
          icon={<SortIcon size={14} />}
          summary={SORTS.find((sort) => sort.value === filters.sort)?.label ?? null}
          options={SORTS}
          selected={[filters.sort]}
          quiet
          align="end"
          onChange={([value]) => {
            const sort = SORTS.find((option) => option.value === value);
            if (sort) onChange({ ...filters, sort: sort.value });
          }}
        />
      </div>
    </div>
  );
}
