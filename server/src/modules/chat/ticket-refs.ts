// Tickets a chat message points at: "#123" (the number people quote) or a link to the agent app's
// ticket page (…/tickets/<uuid>). Mentions and URLs with fragments are not ticket numbers.
const NUMBER_REF = /(?<![\w&/#])#(\d{1,9})\b/g;
const URL_REF = /\/tickets\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi;

/** At most this many preview cards per message. */
export const MAX_TICKET_LINKS = 5;

export interface TicketRefs {
  numbers: number[];
  ids: string[];
}

export function ticketRefs(body: string): TicketRefs {
  const numbers = new Set<number>();
  const ids = new Set<string>();
  for (const match of body.matchAll(URL_REF)) ids.add(match[1]!.toLowerCase());
  for (const match of body.matchAll(NUMBER_REF)) numbers.add(Number(match[1]));
  return { numbers: [...numbers].slice(0, MAX_TICKET_LINKS), ids: [...ids].slice(0, MAX_TICKET_LINKS) };
}
