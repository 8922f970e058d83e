// A customer's request: its public conversation, live, and a reply box.
import { useCallback, useMemo, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { PortalTicketDocument } from '../../gql/graphql';
import { fullDateTime } from '../../shared/format/time';
import { ArrowLeftIcon, EmptyState, LifebuoyIcon, Notice, Skeleton } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { Composer } from '../tickets/Composer';
import { StatusBadge } from '../tickets/TicketBits';
import { TimelineView } from '../tickets/Timeline';
import { isModifier, type Perspective, type Person, type TimelineEvent } from '../tickets/timeline-model';
import { useLiveTimeline } from '../tickets/useLiveTimeline';
import '../tickets/tickets.css';
import './portal.css';

export function PortalTicketPage() {
  const { id = '' } = useParams();
  return <PortalTicket key={id} ticketId={id} />;
}

function PortalTicket({ ticketId }: { ticketId: string }) {
  const viewer = useViewer();
  const client = useApolloClient();
  const { data, loading, error } = useQuery(PortalTicketDocument, {
    variables: { id: ticketId },
    fetchPolicy: 'cache-and-network',
  });
  const ticket = data?.ticket ?? null;
  const perspective = useMemo<Perspective>(() => ({ kind: 'customer', viewerId: viewer.id }), [viewer.id]);
  const requester = useMemo<Person | null>(
    () => (ticket?.requester ? { id: ticket.requester.id, name: ticket.requester.name } : null),
    [ticket?.requester],
  );

  const refreshTimer = useRef<number | undefined>(undefined);
  const onLive = useCallback(
    (events: readonly TimelineEvent[]) => {
      if (events.every(isModifier)) return;
      window.clearTimeout(refreshTimer.current);
      refreshTimer.current = window.setTimeout(() => {
        client
          .query({ query: PortalTicketDocument, variables: { id: ticketId }, fetchPolicy: 'network-only' })
          .catch(() => undefined);
      }, 150);
    },
    [client, ticketId],
  );
  const timeline = useLiveTimeline(ticketId, onLive);
  const onSent = useCallback(
    (event: TimelineEvent) => {
      timeline.upsert([event]);
      onLive([event]);
    },
    [timeline, onLive],
  );

  if (!ticket) {
    if (loading) {
      return (
        <div className="pt-ticket" aria-busy="true">
          <Skeleton width={160} height={12} />
          <Skeleton width="70%" height={24} />
        </div>
      );
    }
    if (error) {
      return (
        <div className="sb-page sb-page--narrow">
          <Notice tone="danger" title="This request could not be loaded">
            Check your connection and reload the page.
          </Notice>
        </div>
      );
    }
    return (
      <div className="sb-page sb-page--narrow">
        <EmptyState
          icon={<LifebuoyIcon size={22} />}
          title="Request not found"
          action={
            <Link to="/portal" className="sb-button sb-button--primary">
              Your requests
            </Link>
          }
        >
          This request doesn’t exist, or it belongs to someone else.
        </EmptyState>
      </div>
    );
  }

  const closed = ticket.status === 'RESOLVED' || ticket.status === 'CLOSED';
  return (
    <div className="pt-ticket">
      <title>{`${ticket.title} · Support`}</title>
      <header className="pt-ticket__header">
        <Link to="/portal" className="pt-back">
          <ArrowLeftIcon size={16} /> Your requests
        </Link>
        <div className="pt-ticket__title-row">
          <h1 className="pt-ticket__title">{ticket.title}</h1>
          <StatusBadge status={ticket.status} audience="customer" />
        </div>
        <p className="pt-ticket__meta">
          Request #{ticket.number} · Opened{' '}
          <time dateTime={ticket.createdAt}>{fullDateTime(new Date(ticket.createdAt))}</time>
          {ticket.assignee && <> · Handled by {ticket.assignee.name}</>}
        </p>
      </header>
      <div className="pt-conversation">
        <TimelineView
          events={timeline.events}
          status={timeline.status}
          perspective={perspective}
          requester={requester}
          viewer={viewer}
          onRetry={timeline.retry}
          onChanged={(event) => timeline.upsert([event])}
        />
        <Composer
          ticketId={ticket.id}
          audience="customer"
          onSent={onSent}
          hint={closed ? 'Replying reopens this request.' : 'We’ll also let you know by email.'}
        />
      </div>
    </div>
  );
}
