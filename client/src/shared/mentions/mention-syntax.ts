// Mentions are stored in bodies as `@[Display Name](user:<uuid>)` (what the server notifies on).
// The composer shows them as plain "@Display Name" while writing and writes the syntax on send.

const MENTION = /@\[([^\]\n]{1,100})\]\(user:([0-9a-fA-F-]{36})\)/g;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"')\]]+[^\s<>"')\].,;:!?]/g;

export type BodyPart =
  { type: 'text'; text: string } | { type: 'mention'; name: string; userId: string } | { type: 'link'; href: string };

function linkify(text: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ type: 'text', text: text.slice(last, index) });
    parts.push({ type: 'link', href: match[0] });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ type: 'text', text: text.slice(last) });
  return parts;
}

/** A body as text, mention and link parts, in order. */
export function parseBody(body: string): BodyPart[] {
  const parts: BodyPart[] = [];
  let last = 0;
  for (const match of body.matchAll(MENTION)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(...linkify(body.slice(last, index)));
    parts.push({ type: 'mention', name: match[1] ?? '', userId: (match[2] ?? '').toLowerCase() });
    last = index + match[0].length;
  }
  if (last < body.length) parts.push(...linkify(body.slice(last)));
  return parts;
}

/** The body with mentions as "@Name", for previews and search. */
export function plainText(body: string): string {
  return body.replace(MENTION, (_all, name: string) => `@${name}`);
}

export interface MentionTarget {
  id: string;
  name: string;
}

/**
 * Turns the "@Name" mentions the composer inserted back into the stored syntax. Only names that
 * were picked from the list are converted (a typed "@Sam" stays text), longest names first so that
 * "@Sam Agent" wins over "@Sam".
 */
export function encodeMentions(draft: string, picked: readonly MentionTarget[]): string {
  const byLength = [...picked].sort((a, b) => b.name.length - a.name.length);
  let out = draft;
  for (const target of byLength) {
    const escaped = target.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const pattern = new RegExp(`(^|[^\\w\\[])@${escaped}(?![\\w])`, 'g');
    out = out.replace(pattern, (_all, before: string) => `${before}@[${target.name}](user:${target.id})`);
  }
  return out;
}

/** Mentions written as the stored syntax become "@Name" for editing, remembering who they were. */
export function decodeMentions(body: string): { text: string; picked: MentionTarget[] } {
  const picked: MentionTarget[] = [];
  const text = body.replace(MENTION, (_all, name: string, id: string) => {
    if (!picked.some((p) => p.id === id)) picked.push({ id: id.toLowerCase(), name });
    return `@${name}`;
  });
  return { text, picked };
}

/** The "@que" being typed just before the caret, if any: where it starts and what it says so far. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|[\s(])@([\p{L}\p{N}._-]{0,30}(?: [\p{L}\p{N}._-]{0,30})?)$/u.exec(before);
  if (!match) return null;
  const query = match[2] ?? '';
  return { start: caret - query.length - 1, query };
}
