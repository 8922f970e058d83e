// The customer's home in the portal: their requests, newest activity first, live.
import { Link } from 'react-router';
import { NetworkStatus } from '@apollo/client';
import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import {
  PortalTicketEventsDocument,
  PortalTicketsDocument,
  type PortalTicketsQuery,
  type PortalTicketsQueryVariables,
} from '../../gql/graphql';
import { fullDateTime, longAgo, useNow } from '../../shared/format/time';
import { Button, ChevronRightIcon, EmptyState, LifebuoyIcon, Notice, PlusIcon, Skeleton } from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { firstName, greeting } from '../shell/greeting';
import { StatusBadge } from '../tickets/TicketBits';
import './portal.css';

const VARIABLES: PortalTicketsQueryVariables = { first: 25, sort: 'RECENT_ACTIVITY' };

export function PortalHome() {
  const viewer = useViewer();
  const client = useApolloClient();
  const { data, error, fetchMore, refetch, networkStatus } = useQuery(PortalTicketsDocument, {
    variables: VARIABLES,
    notifyOnNetworkStatusChange: true,
  });
  const now = useNow(60_000);

  useSubscription(PortalTicketEventsDocument, {
    onData: ({ data: result }) => {
      const event = result.data?.inboxEvents;
      if (!event) return;
      client.cache.updateQuery(
        { query: PortalTicketsDocument, variables: VARIABLES },
        (list): PortalTicketsQuery | undefined => {
          if (!list) return undefined;
          const rest = list.tickets.nodes.filter((node) => node.id !== event.ticket.id);
          const added = rest.length === list.tickets.nodes.length ? 1 : 0;
          // Most recent activity first: a changed request moves to the top.
          return {
            tickets: { ...list.tickets, nodes: [event.ticket, ...rest], totalCount: list.tickets.totalCount + added },
          };
        },
      );
    },
  });

  const tickets = data?.tickets.nodes ?? [];
  return (
    <div className="sb-page sb-page--narrow pt-home">
      <title>{`Your requests · ${viewer.tenant.name}`}</title>
      <header className="pt-home__header">
        <div className="sb-page__header">
          <h1 className="sb-page__title">
            {greeting()}, {firstName(viewer.name)}
          </h1>
          <p className="sb-page__lead">
            Your requests to {viewer.tenant.name}, with every reply from the support team.
          </p>
        </div>
        <Link to="/portal/new" className="sb-button sb-button--primary pt-home__new">
          <PlusIcon size={16} />
          New request
        </Link>
      </header>

      {error && !data && (
        <Notice tone="danger" title="Your requests could not be loaded">
          Check your connection and{' '}
          <button type="button" className="tk-link-button" onClick={() => void refetch().catch(() => undefined)}>
            try again
          </button>
          .
        </Notice>
      )}

      <section className="pt-list-card" aria-labelledby="pt-requests">
        <h2 id="pt-requests" className="pt-list-card__title">
          Your requests
          {data && <span className="pt-list-card__count">{data.tickets.totalCount}</span>}
        </h2>
        {!data && !error && (
          <ul className="pt-list" aria-busy="true">
            {[0, 1, 2].map((row) => (
              <li key={row} className="pt-row pt-row--skeleton">
                <Skeleton width="60%" height={14} />
                <Skeleton width="30%" height={10} />
              </li>
            ))}
          </ul>
        )}
        {data && tickets.length === 0 && (
          <EmptyState
            icon={<LifebuoyIcon size={22} />}
            title="No requests yet"
            action={
              <Link to="/portal/new" className="sb-button sb-button--primary">
                <PlusIcon size={16} /> New request
              </Link>
            }
          >
            When you need help, send a request here. You can follow it and reply right on this page.
          </EmptyState>
        )}
        {tickets.length > 0 && (
          <ul className="pt-list">
            {tickets.map((ticket) => (
              <li key={ticket.id}>
                <Link to={`/portal/tickets/${ticket.id}`} className="pt-row">
                  <span className="pt-row__main">
                    <span className="pt-row__title">{ticket.title}</span>
                    <span className="pt-row__meta">
                      #{ticket.number} · Updated{' '}
                      <time dateTime={ticket.lastActivityAt} title={fullDateTime(new Date(ticket.lastActivityAt))}>
                        {longAgo(new Date(ticket.lastActivityAt), now)}
                      </time>
                    </span>
                  </span>
                  <StatusBadge status={ticket.status} audience="customer" size="sm" />
                  <ChevronRightIcon size={16} className="pt-row__chevron" />
                </Link>
              </li>
            ))}
          </ul>
        )}
        {data?.tickets.pageInfo.hasNextPage && (
          <div className="pt-more">
            <Button
              loading={networkStatus === NetworkStatus.fetchMore}
              onClick={() =>
                void fetchMore({ variables: { ...VARIABLES, after: data.tickets.pageInfo.endCursor } }).catch(
                  () => undefined,
                )
              }
            >
              Show more
            </Button>
          </div>
        )}
      </section>
    </div>
  );
}
