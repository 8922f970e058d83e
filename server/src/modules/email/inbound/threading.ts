// Threading helpers: subject normalisation, the ticket token, and the ids a mail refers to.
import { extractMessageIds } from './raw-headers.js';
import type { ParsedMail } from './types.js';

export const DEFAULT_TICKET_PREFIX = 'Ticket#';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reply and forward prefixes of the common clients and languages: Re, Aw (de), Sv (sv/da/no),
 * Antw (nl), R/I/Rif (it), Fwd/Fw/Wg (de)/Tr (fr)/Rv/Enc/Res (es/pt), Vs/Vl (fi), Odp/Pd (pl),
 * Ynt (tr), Doorst (nl), Přep/Fwd (cs), ΑΠ/ΣΧΕΤ/ΠΡΘ (el), 回复/转发/答复/回覆/轉寄 (zh).
 * Each may carry a counter ("Re[2]:", "Re(3):", "Re^2:") and a full-width colon.
 */
const PREFIX =
  /^(?:re|aw|sv|antw|antwort|r|i|rif|fwd?|fw|wg|tr|rv|enc|res|vs|vl|odp|pd|ynt|doorst|přep|απ|σχετ|πρθ|回复|转发|答复|回覆|轉寄)\s*(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]\s*/i;

/**
 * Strips any number of reply/forward prefixes and leading list tags such as "[users]" from a
 * subject, keeping the ticket token ("[Ticket#42]") and the case of the rest. Whitespace is
 * collapsed. `Re: AW: [list] Fwd: Printer` → `Printer`.
 */
export function normaliseSubject(subject: string, ticketPrefix = DEFAULT_TICKET_PREFIX): string {
  const token = new RegExp(`^\\[\\s*${escapeRegExp(ticketPrefix)}\\s*\\d+\\s*\\]`, 'i');
  let rest = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (let guard = 0; guard < 100; guard++) {
    const before = rest;
    const prefix = PREFIX.exec(rest);
    if (prefix) rest = rest.slice(prefix[0].length);
    else if (!token.test(rest)) {
      const tag = /^\[[^\][]{1,64}\]\s*/.exec(rest);
      if (tag) rest = rest.slice(tag[0].length);
    }
    rest = rest.trimStart();
    if (rest === before) break;
  }
  return rest.trim();
}

/** Subjects equal after normalisation, ignoring case. */
export function sameSubject(a: string, b: string, ticketPrefix = DEFAULT_TICKET_PREFIX): boolean {
  const x = normaliseSubject(a, ticketPrefix).toLowerCase();
  return x !== '' && x === normaliseSubject(b, ticketPrefix).toLowerCase();
}

/** The ticket number of the first `[<prefix><number>]` token in a subject, or null. */
export function findTicketToken(subject: string, prefix = DEFAULT_TICKET_PREFIX): number | null {
  if (!subject || !prefix) return null;
  const match = new RegExp(`\\[\\s*${escapeRegExp(prefix)}\\s*(\\d{1,15})\\s*\\]`, 'i').exec(subject);
  if (!match) return null;
  const number = Number(match[1]);
  return Number.isSafeInteger(number) ? number : null;
}

/** The token to put into outgoing subjects: `[Ticket#42]`. */
export function formatTicketToken(number: number, prefix = DEFAULT_TICKET_PREFIX): string {
  return `[${prefix}${number}]`;
}

/**
 * Message-IDs a mail refers to, for threading: every id of In-Reply-To first, then References
 * newest first (the header lists them oldest first), without duplicates.
 */
export function referencedMessageIds(mail: Pick<ParsedMail, 'inReplyTo' | 'references' | 'headers'>): string[] {
  const ids: string[] = (mail.headers['in-reply-to'] ?? []).flatMap((value) => extractMessageIds(value));
  if (!ids.length && mail.inReplyTo) ids.push(mail.inReplyTo);
  ids.push(...[...mail.references].reverse());
  return [...new Set(ids)];
}
