import { memo, type CSSProperties } from 'react';
import { Link } from 'react-router';
import type { InboxTicketFragment } from '../../gql/graphql';
import { fullDateTime, shortAgo } from '../../shared/format/time';
import { Avatar, cx } from '../../shared/ui';
import { PriorityIndicator, StatusBadge, TagList } from '../tickets/TicketBits';
import { sourceColor } from './sourceColor';
import { SlaBadge } from '../sla/SlaBadge';

export interface InboxRowProps {
  ticket: InboxTicketFragment;
  selected: boolean;
  /** 0: not highlighted; otherwise alternates so that a second change restarts the animation. */
  flash: number;
  now: Date;
  onSelect(id: string): void;
}

/** One ticket in the inbox: a link to it, dense, with everything needed to triage at a glance. */
export const InboxRow = memo(function InboxRow({ ticket, selected, flash, now, onSelect }: InboxRowProps) {
  const activity = new Date(ticket.lastActivityAt);
  return (
    <li
      className={cx('ib-row', selected && 'ib-row--selected', flash > 0 && `ib-row--flash-${flash % 2 ? 'a' : 'b'}`)}
      data-ticket-id={ticket.id}
      style={{ '--source-color': sourceColor(ticket) } as CSSProperties}
    >
      <Link
        to={`/tickets/${ticket.id}`}
        className="ib-row__link"
        aria-current={selected ? 'true' : undefined}
        onFocus={() => onSelect(ticket.id)}
        onMouseDown={() => onSelect(ticket.id)}
      >
        <span className="ib-row__priority">
          <PriorityIndicator urgency={ticket.urgency} importance={ticket.importance} compact />
        </span>
        <span className="ib-row__number">#{ticket.number}</span>
        <span className="ib-row__main">
          <span className={cx('ib-row__title', ticket.status === 'NEW' && 'ib-row__title--new')}>{ticket.title}</span>
          <span className="ib-row__requester">{ticket.requester?.name ?? 'Internal'}</span>
        </span>
        <span className="ib-row__tags">
          <TagList tags={ticket.tags} max={2} />
        </span>
        <span className="ib-row__status">
          <StatusBadge status={ticket.status} size="sm" />
          <SlaBadge sla={ticket.sla} onlyAtRisk />
        </span>
        <span className="ib-row__assignee">
          {ticket.assignee ? (
            <Avatar
              name={ticket.assignee.name}
              seed={ticket.assignee.id}
              size="sm"
              decorative={false}
              title={ticket.assignee.name}
            />
          ) : (
            <span className="ib-row__unassigned" title="Unassigned" aria-label="Unassigned" role="img" />
          )}
        </span>
        <time
          className="ib-row__time"
          dateTime={ticket.lastActivityAt}
          title={`Last activity ${fullDateTime(activity)}`}
        >
          {shortAgo(activity, now)}
        </time>
      </Link>
    </li>
  );
});
