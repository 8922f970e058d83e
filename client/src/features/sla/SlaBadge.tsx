// The SLA of a ticket as a small pill: state plus a ticking countdown to the next due time.
import type { TicketSlaFieldsFragment } from '../../gql/graphql';
import { fullDateTime, useNow } from '../../shared/format/time';
import { cx } from '../../shared/ui';
import { STATE_LABELS, countdown, nextDue } from './countdown';
import './sla.css';

export interface SlaBadgeProps {
  sla: TicketSlaFieldsFragment | null | undefined;
  /** Inbox rows show only tickets that need attention (at risk or breached). */
  onlyAtRisk?: boolean;
}

export function SlaBadge({ sla, onlyAtRisk = false }: SlaBadgeProps) {
  if (!sla || sla.state === 'NONE') return null;
  if (onlyAtRisk && sla.state !== 'WARNING' && sla.state !== 'BREACHED') return null;
  return <TickingBadge sla={sla} />;
}

function TickingBadge({ sla }: { sla: TicketSlaFieldsFragment }) {
  const now = useNow(1_000);
  const due = nextDue(sla);
  const label = STATE_LABELS[sla.state];
  const detail = due ? `${due.target} ${countdown(due.dueAt, now)}` : null;
  const title = due
    ? `SLA ${label.toLowerCase()}: ${due.target.toLowerCase()} due ${fullDateTime(due.dueAt)}`
    : `SLA ${label.toLowerCase()}`;
  return (
    <span className={cx('sla-badge', `sla-badge--${sla.state.toLowerCase()}`)} title={title} data-sla-state={sla.state}>
      <span className="sla-badge__dot" aria-hidden="true" />
      <span className="sla-badge__state">{label}</span>
      {detail && <span className="sla-badge__countdown">{countdown(due!.dueAt, now)}</span>}
    </span>
  );
}
