import { registerEnumType } from 'type-graphql';

export enum TicketStatus {
  NEW = 'NEW',
  OPEN = 'OPEN',
  PENDING_CUSTOMER = 'PENDING_CUSTOMER',
  PENDING_THIRD_PARTY = 'PENDING_THIRD_PARTY',
  ON_HOLD = 'ON_HOLD',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(TicketStatus, { name: 'TicketStatus' });

/** Urgency and importance share one scale (seed 002's dual priority). */
export enum Level {
  CRITICAL = 'CRITICAL',
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}
registerEnumType(Level, { name: 'Level' });

export const LEVEL_RANK: Record<Level, number> = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };

/** Statuses in which a ticket still needs work; resolved and closed ones do not count as load. */
export const ACTIVE_STATUSES: readonly TicketStatus[] = [
  TicketStatus.NEW,
  TicketStatus.OPEN,
  TicketStatus.PENDING_CUSTOMER,
  TicketStatus.PENDING_THIRD_PARTY,
  TicketStatus.ON_HOLD,
];

const ALLOWED: Record<TicketStatus, readonly TicketStatus[]> = {
  NEW: ['OPEN', 'PENDING_CUSTOMER', 'PENDING_THIRD_PARTY', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as TicketStatus[],
  OPEN: ['PENDING_CUSTOMER', 'PENDING_THIRD_PARTY', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as TicketStatus[],
  PENDING_CUSTOMER: ['OPEN', 'PENDING_THIRD_PARTY', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as TicketStatus[],
  PENDING_THIRD_PARTY: ['OPEN', 'PENDING_CUSTOMER', 'ON_HOLD', 'RESOLVED', 'CLOSED'] as TicketStatus[],
  ON_HOLD: ['OPEN', 'PENDING_CUSTOMER', 'PENDING_THIRD_PARTY', 'RESOLVED', 'CLOSED'] as TicketStatus[],
  RESOLVED: ['OPEN', 'CLOSED'] as TicketStatus[],
  CLOSED: ['OPEN'] as TicketStatus[],
};

export function canTransition(from: TicketStatus, to: TicketStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export function allowedTransitions(from: TicketStatus): readonly TicketStatus[] {
  return ALLOWED[from];
}
