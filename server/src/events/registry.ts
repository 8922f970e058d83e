// The typed registry of every event that crosses processes. Names are `<entity>.<verb>`.
// Payloads carry ids only: subscribers load what they need and re-authorise, and PostgreSQL's
// 8,000-byte NOTIFY limit never bites.
export interface EventMap {
  'session.revoked': { tenantId: string; userId: string; sessionId: string };
  'user.updated': { tenantId: string; userId: string };
}

export type EventName = keyof EventMap;
export type EventPayload<N extends EventName> = EventMap[N];

export interface BusMessage<N extends EventName = EventName> {
  name: N;
  payload: EventPayload<N>;
  /** Milliseconds since the epoch when the event was published (for latency figures). */
  at: number;
}

export const EVENT_CHANNEL = 'switchboard_events';
/** NOTIFY payloads must stay below 8,000 bytes; ours are ids, so anything near this is a bug. */
export const MAX_EVENT_BYTES = 7_500;
