// A ticket linked from a chat message (#123 or a ticket URL): a small card that stays current,
// because the Apollo cache is updated by the live inbox events.
import { Link } from 'react-router';
import type { ChatTicketCardFragment } from '../../gql/graphql';
import { PriorityIndicator, StatusBadge } from '../tickets/TicketBits';

export function TicketCard({ ticket }: { ticket: ChatTicketCardFragment }) {
  return (
    <Link to={`/tickets/${ticket.id}`} className="ch-ticket" aria-label={`Ticket #${ticket.number}: ${ticket.title}`}>
      <span className="ch-ticket__top">
        <span className="ch-ticket__number">#{ticket.number}</span>
        <span className="ch-ticket__title">{ticket.title}</span>
      </span>
      <span className="ch-ticket__meta">
        <StatusBadge status={ticket.status} size="sm" />
        <PriorityIndicator urgency={ticket.urgency} importance={ticket.importance} compact />
        <span className="ch-ticket__assignee">{ticket.assignee ? ticket.assignee.name : 'Unassigned'}</span>
      </span>
    </Link>
  );
}
