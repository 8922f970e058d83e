import { Level } from '../tickets/ticket.enums.js';

/** Seed 002's red badge: critical urgency and critical importance (every agent is notified). */
export function isCriticalPair(ticket: { urgency: Level; importance: Level }): boolean {
  return ticket.urgency === Level.CRITICAL && ticket.importance === Level.CRITICAL;
}
