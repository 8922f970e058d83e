// A ticket linked from a chat message (#123 or a ticket URL): a small card that stays current. It
// reads the ticket from the Apollo cache, which the live inbox events keep up to date.
import { Link } from 'react-router';
import { useFragment } from '@apollo/client/react';
import { ChatTicketCardFragmentDoc, type ChatTicketCardFragment } from '../../gql/graphql';
import { PriorityIndicator, StatusBadge } from '../tickets/TicketBits';

export function TicketCard({ ticket: loaded }: { ticket: ChatTicketCardFragment }) {
  const live = useFragment({ fragment: ChatTicketCardFragmentDoc, from: loaded });
  const ticket = live.complete ? live.data : loaded;
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
