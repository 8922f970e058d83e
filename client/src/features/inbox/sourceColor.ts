// The one place where an inbox row's left-border colour comes from: the colour of the support
// address the ticket came in through (SPEC C3), neutral for tickets made by hand or in the portal.
import type { InboxTicketFragment } from '../../gql/graphql';

export const NEUTRAL_SOURCE_COLOR = 'var(--border-strong)';

/** Colours as admins may enter them: #rgb, #rrggbb (with alpha), rgb()/hsl(), or a plain name. */
const CSS_COLOR = /^(#[0-9a-f]{3,8}|(rgb|hsl)a?\([\d\s.,%/]+\)|[a-z]{3,20})$/i;

export function sourceColor(ticket: Pick<InboxTicketFragment, 'emailAddress'>): string {
  const color = ticket.emailAddress?.color?.trim();
  return color && CSS_COLOR.test(color) ? color : NEUTRAL_SOURCE_COLOR;
}
