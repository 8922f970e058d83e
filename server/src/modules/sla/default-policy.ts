// Seed 002's SLA tiers (section 6, "SLA Tiers by Combined Priority"), the default policy of every
// tenant. The seed gives no next-response targets, so the default has none; and it names no
// calendar, so the default runs around the clock ("1 day" is 24 hours).
//
// The seed's table has one gap: High urgency with Medium or Low importance. Those cells take the
// High + High tier (2 h / 1 day), the nearest tier the seed defines for High urgency, rather than
// an invented figure.
import { Level } from '../tickets/ticket.enums.js';

export interface SlaTargetSpec {
  urgency: Level;
  importance: Level;
  firstResponseMinutes: number;
  nextResponseMinutes: number | null;
  resolutionMinutes: number;
}

export const DEFAULT_POLICY_NAME = 'Standard (seed 002)';
/** Seed 002's automation example 5: "SLA deadline approaching in 1 hour". */
export const DEFAULT_WARNING_MINUTES = 60;

const HOUR = 60;
const DAY = 24 * HOUR;
const ALL: Level[] = [Level.CRITICAL, Level.HIGH, Level.MEDIUM, Level.LOW];

function tier(firstResponseMinutes: number, resolutionMinutes: number) {
  return { firstResponseMinutes, nextResponseMinutes: null, resolutionMinutes };
}

/** [urgency][importance] → targets, exactly as seed 002 lists them. */
const TABLE: Record<Level, Record<Level, ReturnType<typeof tier>>> = {
  CRITICAL: {
    CRITICAL: tier(15, 2 * HOUR),
    HIGH: tier(30, 4 * HOUR),
    MEDIUM: tier(1 * HOUR, 8 * HOUR),
    LOW: tier(1 * HOUR, 8 * HOUR),
  },
  HIGH: {
    CRITICAL: tier(1 * HOUR, 4 * HOUR),
    HIGH: tier(2 * HOUR, 1 * DAY),
    MEDIUM: tier(2 * HOUR, 1 * DAY),
    LOW: tier(2 * HOUR, 1 * DAY),
  },
  MEDIUM: Object.fromEntries(ALL.map((i) => [i, tier(8 * HOUR, 3 * DAY)])) as Record<Level, ReturnType<typeof tier>>,
  LOW: Object.fromEntries(ALL.map((i) => [i, tier(24 * HOUR, 7 * DAY)])) as Record<Level, ReturnType<typeof tier>>,
};

export function defaultTargets(): SlaTargetSpec[] {
  return ALL.flatMap((urgency) => ALL.map((importance) => ({ urgency, importance, ...TABLE[urgency][importance] })));
}
