// How ticket fields read in the interface.
import type { Level, TicketStatus } from '../../gql/graphql';

export const STATUSES: readonly TicketStatus[] = [
  'NEW',
  'OPEN',
  'PENDING_CUSTOMER',
  'PENDING_THIRD_PARTY',
  'ON_HOLD',
  'RESOLVED',
  'CLOSED',
];

/** Statuses that still need work: the inbox shows these unless asked otherwise. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = [
  'NEW',
  'OPEN',
  'PENDING_CUSTOMER',
  'PENDING_THIRD_PARTY',
  'ON_HOLD',
];

const statusLabels: Record<TicketStatus, string> = {
  NEW: 'New',
  OPEN: 'Open',
  PENDING_CUSTOMER: 'Pending customer',
  PENDING_THIRD_PARTY: 'Pending third party',
  ON_HOLD: 'On hold',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
};

/** The same statuses as a customer should read them. */
const customerStatusLabels: Record<TicketStatus, string> = {
  NEW: 'Received',
  OPEN: 'In progress',
  PENDING_CUSTOMER: 'Awaiting your reply',
  PENDING_THIRD_PARTY: 'In progress',
  ON_HOLD: 'In progress',
  RESOLVED: 'Resolved',
  CLOSED: 'Closed',
};

export function statusLabel(status: TicketStatus, audience: 'agent' | 'customer' = 'agent'): string {
  return (audience === 'customer' ? customerStatusLabels : statusLabels)[status];
}

/** A status from an event's data, which is untyped JSON. */
export function isStatus(value: unknown): value is TicketStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export const LEVELS: readonly Level[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

const levelLabels: Record<Level, string> = { CRITICAL: 'Critical', HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export function levelLabel(level: Level): string {
  return levelLabels[level];
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

/** 3 for critical … 0 for low: how many bars of the priority meter light up. */
export function levelRank(level: Level): number {
  return 3 - LEVELS.indexOf(level);
}
