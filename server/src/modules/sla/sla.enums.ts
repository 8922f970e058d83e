import { registerEnumType } from 'type-graphql';

/** A ticket's SLA at a glance (the contract's SlaState). */
export enum SlaState {
  /** No policy or no targets for the ticket's urgency × importance. */
  NONE = 'NONE',
  OK = 'OK',
  /** A running target is inside its warning lead time (its warning has fired). */
  WARNING = 'WARNING',
  /** A target was missed; stays until the ticket is resolved (a breach is not undone by a late reply). */
  BREACHED = 'BREACHED',
  /** The ticket is in a status that stops the clock (PENDING_CUSTOMER by default). */
  PAUSED = 'PAUSED',
  /** Resolved or closed with every target met. */
  MET = 'MET',
}
registerEnumType(SlaState, { name: 'SlaState' });

export enum SlaTargetKind {
  FIRST_RESPONSE = 'FIRST_RESPONSE',
  NEXT_RESPONSE = 'NEXT_RESPONSE',
  RESOLUTION = 'RESOLUTION',
}
registerEnumType(SlaTargetKind, { name: 'SlaTargetKind' });

export enum SlaFiringKind {
  WARNING = 'WARNING',
  BREACH = 'BREACH',
}
