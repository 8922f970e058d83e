// Collision detection: this tab tells the server it is on the ticket (a heartbeat every 10 s, at
// once when the reply box gains or loses unsent text) and hears who else is there.
import { useEffect, useRef } from 'react';
import { skipToken, useMutation, useSubscription } from '@apollo/client/react';
import {
  LeaveTicketDocument,
  ReportPresenceDocument,
  TicketPresenceDocument,
  type TicketPresenceSubscription,
} from '../../gql/graphql';
import { session } from '../../app/session';

const HEARTBEAT_MS = 10_000;

function randomId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return Array.from({ length: 24 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
}

/** One id per browser tab, so the server can tell two tabs of the same agent apart. */
export const connectionId = randomId();

export type PresenceViewer = TicketPresenceSubscription['ticketPresence']['viewers'][number];

/** Leaves with a request that survives the page closing (sendBeacon cannot carry the token). */
function leaveOnUnload(ticketId: string): void {
  const token = session.token;
  if (!token) return;
  const body = JSON.stringify({
    query:
      'mutation LeaveTicket($ticketId: ID!, $connectionId: String!) { leaveTicket(ticketId: $ticketId, connectionId: $connectionId) }',
    variables: { ticketId, connectionId },
  });
  fetch('/graphql', {
    method: 'POST',
    keepalive: true,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  }).catch(() => undefined);
}

/** The other agents on this ticket now (not the viewer), with who is typing. */
export function usePresence(ticketId: string, typing: boolean, viewerId: string, enabled = true): PresenceViewer[] {
  const [report] = useMutation(ReportPresenceDocument);
  const [leave] = useMutation(LeaveTicketDocument);
  const typingRef = useRef(typing);
  typingRef.current = typing;

  useEffect(() => {
    if (!enabled) return;
    const beat = () =>
      void report({ variables: { ticketId, connectionId, typing: typingRef.current } }).catch(() => undefined);
    beat();
    const timer = window.setInterval(beat, HEARTBEAT_MS);
    const onVisible = () => {
      if (document.visibilityState === 'visible') beat();
    };
    const onPageHide = () => leaveOnUnload(ticketId);
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('pagehide', onPageHide);
      void leave({ variables: { ticketId, connectionId } }).catch(() => undefined);
    };
  }, [ticketId, report, leave, enabled]);

  // Typing started or stopped: say so now rather than at the next heartbeat.
  const reported = useRef(typing);
  useEffect(() => {
    if (!enabled || reported.current === typing) return;
    reported.current = typing;
    void report({ variables: { ticketId, connectionId, typing } }).catch(() => undefined);
  }, [typing, ticketId, report, enabled]);

  const { data } = useSubscription(TicketPresenceDocument, enabled ? { variables: { ticketId } } : skipToken);
  const state = data?.ticketPresence;
  if (!state || state.ticketId !== ticketId) return [];
  return state.viewers.filter((entry) => entry.user.id !== viewerId);
}
