// Mentions are written as `@[Display Name](user:<uuid>)` by the composer's autocomplete, so the
// text stays readable in mail and the id is unambiguous.
const MENTION = /@\[([^\]\n]{1,100})\]\(user:([0-9a-f-]{36})\)/gi;

export function mentionedUserIds(body: string): string[] {
  const ids = new Set<string>();
  for (const match of body.matchAll(MENTION)) ids.add(match[2]!.toLowerCase());
  return [...ids];
}

/** The text as a customer or a mail reader sees it: mentions become plain names. */
export function plainMentions(body: string): string {
  return body.replace(MENTION, (_all, name: string) => `@${name}`);
}
