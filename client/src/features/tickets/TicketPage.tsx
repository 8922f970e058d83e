// The agent's ticket view at /tickets/:id: header with the editable title, the live timeline with
// the composer under it, the properties panel beside it (a drawer on narrow screens), and who else
// is looking at the ticket or typing.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { AgentsDocument, TeamsDocument, TicketViewDocument, type TicketDetailFragment } from '../../gql/graphql';
import { firstName } from '../../shared/format/time';
import {
  ArrowLeftIcon,
  Avatar,
  Button,
  CloseIcon,
  EmptyState,
  InboxIcon,
  Notice,
  SidebarIcon,
  Skeleton,
  cx,
} from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { Composer } from './Composer';
import { PriorityLabels, StatusBadge } from './TicketBits';
import { TicketProperties, useTicketUpdate } from './TicketProperties';
import { AutomationRuns } from '../automation/AutomationRuns';
import { TimelineView } from './Timeline';
import { isModifier, type Perspective, type Person, type TimelineEvent } from './timeline-model';
import { useLiveTimeline } from './useLiveTimeline';
import { usePresence, type PresenceViewer } from './usePresence';
import './tickets.css';

const AGENT_PERSPECTIVE: Perspective = { kind: 'agent' };

export function TicketPage() {
  const { id = '' } = useParams();
  return <TicketView key={id} ticketId={id} />;
}

function TicketView({ ticketId }: { ticketId: string }) {
  const viewer = useViewer();
  const client = useApolloClient();
  const { data, loading, error, refetch } = useQuery(TicketViewDocument, {
    variables: { id: ticketId },
    fetchPolicy: 'cache-and-network',
  });
  const agentsQuery = useQuery(AgentsDocument);
  const teamsQuery = useQuery(TeamsDocument);
  const agents = useMemo(() => agentsQuery.data?.agents ?? [], [agentsQuery.data]);
  const ticket = data?.ticket ?? null;

  // System events change the ticket's fields: reload them (once for a burst of events).
  const refreshTimer = useRef<number | undefined>(undefined);
  const onLive = useCallback(
    (events: readonly TimelineEvent[]) => {
      if (events.every((event) => event.kind === 'NOTE' || isModifier(event))) return;
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(() => {
        client
          .query({ query: TicketViewDocument, variables: { id: ticketId }, fetchPolicy: 'network-only' })
          .catch(() => undefined);
      }, 150);
    },
    [client, ticketId],
  );
  useEffect(() => () => window.clearTimeout(refreshTimer.current), []);
  const timeline = useLiveTimeline(ticketId, onLive);

  const [typing, setTyping] = useState(false);
  const others = usePresence(ticketId, typing, viewer.id, Boolean(ticket));
  const [panelOpen, setPanelOpen] = useState(false);

  const requester = useMemo<Person | null>(
    () => (ticket?.requester ? { id: ticket.requester.id, name: ticket.requester.name } : null),
    [ticket?.requester],
  );
  const nameOf = useCallback((userId: string) => agents.find((agent) => agent.id === userId)?.name, [agents]);
  const onSent = useCallback(
    (event: TimelineEvent) => {
      timeline.upsert([event]);
      onLive([event]);
    },
    [timeline, onLive],
  );
  const onChanged = useCallback((event: TimelineEvent) => timeline.upsert([event]), [timeline]);

  if (!ticket) {
    if (loading) return <TicketSkeleton />;
    if (error) {
      return (
        <div className="tk-state">
          <Notice tone="danger" title="This ticket could not be loaded">
            Check your connection and try again.
          </Notice>
          <Button onClick={() => void refetch().catch(() => undefined)}>Try again</Button>
        </div>
      );
    }
    return (
      <div className="tk-state">
        <title>Ticket not found · Switchboard</title>
        <EmptyState
          icon={<InboxIcon size={22} />}
          title="Ticket not found"
          action={
            <Link to="/inbox" className="sb-button sb-button--primary">
              Back to the inbox
            </Link>
          }
        >
          This ticket doesn’t exist, or it was removed.
        </EmptyState>
      </div>
    );
  }

  return (
    <div className={cx('tk', panelOpen && 'tk--panel-open')}>
      <title>{`#${ticket.number} ${ticket.title} · Switchboard`}</title>
      <div className="tk-main">
        <TicketHeader
          ticket={ticket}
          others={others}
          panelOpen={panelOpen}
          onTogglePanel={() => setPanelOpen((open) => !open)}
        />
        <TimelineView
          events={timeline.events}
          status={timeline.status}
          perspective={AGENT_PERSPECTIVE}
          requester={requester}
          viewer={viewer}
          onRetry={timeline.retry}
          onChanged={onChanged}
          nameOf={nameOf}
        />
        <Composer
          ticketId={ticket.id}
          audience="agent"
          mentionables={agents}
          requesterName={ticket.requester?.name}
          onSent={onSent}
          onTypingChange={setTyping}
          status={<TypingLine others={others} />}
        />
      </div>
      <aside className="tk-panel" aria-label="Ticket properties">
        <div className="tk-panel__top">
          <span className="tk-panel__title">Ticket details</span>
          <button
            type="button"
            className="sb-icon-button"
            aria-label="Close details"
            onClick={() => setPanelOpen(false)}
          >
            <CloseIcon size={16} />
          </button>
        </div>
        <TicketProperties ticket={ticket} agents={agents} teams={teamsQuery.data?.teams ?? []} viewerId={viewer.id} />
        <AutomationRuns ticketId={ticket.id} activity={ticket.lastActivityAt} />
      </aside>
      {panelOpen && <div className="tk-scrim" onClick={() => setPanelOpen(false)} aria-hidden="true" />}
    </div>
  );
}

function TicketHeader({
  ticket,
  others,
  panelOpen,
  onTogglePanel,
}: {
  ticket: TicketDetailFragment;
  others: PresenceViewer[];
  panelOpen: boolean;
  onTogglePanel(): void;
}) {
  return (
    <header className="tk-header">
      <Link
        to="/inbox"
        className="sb-icon-button tk-header__back"
        aria-label="Back to the inbox"
        title="Back to the inbox"
      >
        <ArrowLeftIcon size={18} />
      </Link>
      <div className="tk-header__main">
        <div className="tk-header__title-row">
          <span className="tk-number">#{ticket.number}</span>
          <EditableTitle ticket={ticket} />
        </div>
        <div className="tk-header__meta">
          <StatusBadge status={ticket.status} size="sm" />
          <PriorityLabels urgency={ticket.urgency} importance={ticket.importance} />
          {ticket.requester && <span className="tk-header__requester">{ticket.requester.name}</span>}
          {ticket.assignee ? (
            <span className="tk-header__assignee">
              <Avatar name={ticket.assignee.name} seed={ticket.assignee.id} size="xs" />
              {ticket.assignee.name}
            </span>
          ) : (
            <span className="tk-header__assignee tk-header__assignee--none">Unassigned</span>
          )}
        </div>
      </div>
      <div className="tk-header__end">
        <PresenceAvatars others={others} />
        <button
          type="button"
          className="sb-icon-button tk-header__panel-toggle"
          aria-label={panelOpen ? 'Hide details' : 'Show details'}
          aria-expanded={panelOpen}
          title="Ticket details"
          onClick={onTogglePanel}
        >
          <SidebarIcon size={18} />
        </button>
      </div>
    </header>
  );
}

function EditableTitle({ ticket }: { ticket: TicketDetailFragment }) {
  const { update, saving } = useTicketUpdate(ticket.id);
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(ticket.title);
  const save = async () => {
    const title = value.trim();
    if (!title || title === ticket.title) {
      setEditing(false);
      setValue(ticket.title);
      return;
    }
    if (await update({ title })) setEditing(false);
  };
  if (!editing) {
    return (
      <h1 className="tk-title">
        <button
          type="button"
          className="tk-title__button"
          title="Rename"
          onClick={() => {
            setValue(ticket.title);
            setEditing(true);
          }}
        >
          {ticket.title}
        </button>
      </h1>
    );
  }
  return (
    <input
      className="tk-title__input"
      aria-label="Ticket title"
      value={value}
      disabled={saving}
      autoFocus
      maxLength={500}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => void save()}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          event.preventDefault();
          void save();
        }
        if (event.key === 'Escape') {
          event.preventDefault();
          setValue(ticket.title);
          setEditing(false);
        }
      }}
    />
  );
}

function PresenceAvatars({ others }: { others: PresenceViewer[] }) {
  if (others.length === 0) return null;
  const names = others.map((entry) => entry.user.name);
  const label = `Also viewing: ${names.join(', ')}`;
  return (
    <div className="tk-presence" aria-label={label} title={label} role="group">
      {others.slice(0, 4).map((entry) => (
        <span key={entry.user.id} className={cx('tk-presence__avatar', entry.typing && 'tk-presence__avatar--typing')}>
          <Avatar name={entry.user.name} seed={entry.user.id} size="sm" />
        </span>
      ))}
      {others.length > 4 && <span className="tk-presence__more">+{others.length - 4}</span>}
    </div>
  );
}

function TypingLine({ others }: { others: PresenceViewer[] }) {
  const typing = others.filter((entry) => entry.typing).map((entry) => firstName(entry.user.name));
  const text =
    typing.length === 0
      ? ''
      : typing.length === 1
        ? `${typing[0]} is typing…`
        : typing.length === 2
          ? `${typing[0]} and ${typing[1]} are typing…`
          : `${typing.length} people are typing…`;
  return (
    <div className="tk-typing" aria-live="polite">
      {text && (
        <>
          <span className="tk-typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}

function TicketSkeleton() {
  return (
    <div className="tk" aria-busy="true" aria-label="Loading the ticket">
      <div className="tk-main">
        <header className="tk-header">
          <div className="tk-header__main">
            <Skeleton width={320} height={20} />
            <Skeleton width={220} height={12} />
          </div>
        </header>
        <div className="tl">
          <div className="tl-scroller" />
        </div>
      </div>
      <aside className="tk-panel">
        <div className="tk-props">
          {[0, 1, 2, 3].map((row) => (
            <Skeleton key={row} width="100%" height={32} />
          ))}
        </div>
      </aside>
    </div>
  );
}
