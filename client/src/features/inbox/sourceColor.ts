// The one place where an inbox row's left-border colour comes from.
//
// Each support address will have a colour (SPEC C3: "the ticket list shows each ticket's address
// colour as a left border"). The API does not expose a ticket's source address yet, so every row
// gets the neutral border; when `Ticket.emailAddress { color }` exists, select it in
// inbox.graphql and return it here.
import type { InboxTicketFragment } from '../../gql/graphql';

export const NEUTRAL_SOURCE_COLOR = 'var(--border-strong)';

export function sourceColor(_ticket: InboxTicketFragment): string {
  return NEUTRAL_SOURCE_COLOR;
}
