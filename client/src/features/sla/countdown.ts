// Countdowns for SLA due times: "12m 05s left", "3h 20m left", "2d 4h left", "overdue 4m".
import type { SlaState, TicketSlaFieldsFragment } from '../../gql/graphql';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function span(ms: number): string {
  if (ms >= DAY) return `${Math.floor(ms / DAY)}d ${Math.floor((ms % DAY) / HOUR)}h`;
  if (ms >= HOUR) return `${Math.floor(ms / HOUR)}h ${Math.floor((ms % HOUR) / MINUTE)}m`;
  if (ms >= MINUTE)
    return `${Math.floor(ms / MINUTE)}m ${String(Math.floor((ms % MINUTE) / SECOND)).padStart(2, '0')}s`;
  return `${Math.max(0, Math.floor(ms / SECOND))}s`;
}

export function countdown(dueAt: Date, now: Date): string {
  const left = dueAt.getTime() - now.getTime();
  return left >= 0 ? `${span(left)} left` : `overdue ${span(-left)}`;
}

export type SlaTarget = 'First response' | 'Next response' | 'Resolution';

/** The running target that comes due first. */
export function nextDue(sla: TicketSlaFieldsFragment): { target: SlaTarget; dueAt: Date } | null {
  const due: Array<{ target: SlaTarget; at: string | null | undefined }> = [
    { target: 'First response', at: sla.firstResponseDueAt },
    { target: 'Next response', at: sla.nextResponseDueAt },
    { target: 'Resolution', at: sla.resolutionDueAt },
  ];
  let best: { target: SlaTarget; dueAt: Date } | null = null;
  for (const { target, at } of due) {
    if (!at) continue;
    const dueAt = new Date(at);
    if (!best || dueAt < best.dueAt) best = { target, dueAt };
  }
  return best;
}

export const STATE_LABELS: Record<SlaState, string> = {
  NONE: 'No SLA',
  OK: 'On track',
  WARNING: 'At risk',
  BREACHED: 'Breached',
  PAUSED: 'Paused',
  MET: 'Met',
};
