// A ticket's timeline, live: loaded once, then kept current by `ticketEvents`, which first replays
// whatever happened after the last event this page has. After a socket drop the subscription is
// started again from the newest event held, so nothing is lost and nothing shows twice.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApolloClient } from '@apollo/client/react';
import { TicketEventsDocument, TicketTimelineDocument } from '../../gql/graphql';
import { useSocketStatus } from '../../app/socket-status';
import { isModifier, lastEventId, mergeEvents, previousId, type TimelineEvent } from './timeline-model';

/** The API returns at most this many events per call; the live stream replays the rest. */
const FIRST_PAGE = 1000;

export type TimelineStatus = 'loading' | 'ready' | 'missing' | 'error';

export interface LiveTimeline {
  events: TimelineEvent[];
  status: TimelineStatus;
  /** Adds or replaces events (e.g. a mutation's answer) without waiting for the live stream. */
  upsert(events: readonly TimelineEvent[]): void;
  retry(): void;
}

export function useLiveTimeline(ticketId: string, onLive?: (events: readonly TimelineEvent[]) => void): LiveTimeline {
  const client = useApolloClient();
  const { reconnects } = useSocketStatus();
  const [events, setEvents] = useState<TimelineEvent[]>([]);
  const [status, setStatus] = useState<TimelineStatus>('loading');
  const [attempt, setAttempt] = useState(0);
  const [restarts, setRestarts] = useState(0);
  const eventsRef = useRef<TimelineEvent[]>([]);
  const onLiveRef = useRef(onLive);
  onLiveRef.current = onLive;

  const upsert = useCallback((incoming: readonly TimelineEvent[]) => {
    const next = mergeEvents(eventsRef.current, incoming);
    if (next === eventsRef.current) return;
    eventsRef.current = next;
    setEvents(next);
  }, []);

  /** Reloads one comment after an edit, delete or restore made elsewhere. */
  const reloadComment = useCallback(
    (commentId: string) => {
      client
        .query({
          query: TicketTimelineDocument,
          variables: { id: ticketId, first: 1, after: previousId(commentId) },
          fetchPolicy: 'no-cache',
        })
        .then(({ data }) => {
          const comment = data?.ticket?.timeline[0];
          if (comment && comment.id === commentId) upsert([comment]);
        })
        .catch(() => undefined);
    },
    [client, ticketId, upsert],
  );

  // The first load (again on retry, or for another ticket).
  useEffect(() => {
    let cancelled = false;
    eventsRef.current = [];
    setEvents([]);
    setStatus('loading');
    client
      .query({ query: TicketTimelineDocument, variables: { id: ticketId, first: FIRST_PAGE }, fetchPolicy: 'no-cache' })
      .then(({ data, error }) => {
        if (cancelled) return;
        if (error && !data) throw error;
        if (!data?.ticket) {
          setStatus('missing');
          return;
        }
        eventsRef.current = mergeEvents([], data.ticket.timeline);
        setEvents(eventsRef.current);
        setStatus('ready');
      })
      .catch(() => {
        if (!cancelled) setStatus('error');
      });
    return () => {
      cancelled = true;
    };
  }, [client, ticketId, attempt]);

  // The live stream, from the newest event held; started again after every reconnect.
  useEffect(() => {
    if (status !== 'ready') return;
    let retryTimer: number | undefined;
    let stopped = false;
    const restartSoon = () => {
      if (stopped || retryTimer !== undefined) return;
      retryTimer = window.setTimeout(() => setRestarts((n) => n + 1), 3000);
    };
    const subscription = client
      .subscribe({
        query: TicketEventsDocument,
        variables: { ticketId, after: lastEventId(eventsRef.current) },
        fetchPolicy: 'no-cache',
      })
      .subscribe({
        next: (result) => {
          const event = result.data?.ticketEvents;
          if (!event) {
            if (result.error) restartSoon();
            return;
          }
          upsert([event]);
          if (isModifier(event) && event.targetId) reloadComment(event.targetId);
          onLiveRef.current?.([event]);
        },
        error: restartSoon,
        complete: restartSoon,
      });
    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      subscription.unsubscribe();
    };
  }, [client, ticketId, status, reconnects, restarts, upsert, reloadComment]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { events, status, upsert, retry };
}
