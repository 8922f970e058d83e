// A conversation as plain text: the first content of the ticket it becomes, and the mail a visitor
// can ask for. Plain text only: visitor text is never interpreted as markup.
import { LiveMessageAuthor, type LiveChatMessage, type LiveConversation } from './livechat.entities.js';

export interface TranscriptLine {
  message: Pick<LiveChatMessage, 'author' | 'body' | 'createdAt'>;
  agentName?: string | null;
}

export function visitorLabel(conversation: Pick<LiveConversation, 'visitorName' | 'visitorEmail'>): string {
  const { visitorName: name, visitorEmail: email } = conversation;
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? 'Website visitor';
}

function time(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

export function transcriptText(
  conversation: Pick<LiveConversation, 'visitorName' | 'visitorEmail' | 'pageUrl' | 'createdAt'>,
  lines: TranscriptLine[],
): string {
  const header = [
    `Live chat with ${visitorLabel(conversation)}, started ${time(conversation.createdAt)} UTC` +
      (conversation.pageUrl ? ` on ${conversation.pageUrl}` : ''),
    '',
  ];
  const body = lines.map(({ message, agentName }) => {
    const who =
      message.author === LiveMessageAuthor.VISITOR
        ? (conversation.visitorName ?? 'Visitor')
        : message.author === LiveMessageAuthor.AGENT
          ? (agentName ?? 'Agent')
          : 'Switchboard';
    return `[${time(message.createdAt)}] ${who}: ${message.body}`;
  });
  return [...header, ...body].join('\n');
}

/** A ticket title from the visitor's first words. */
export function ticketTitle(conversation: Pick<LiveConversation, 'visitorName' | 'visitorEmail'>, first?: string) {
  const words = first?.replace(/\s+/g, ' ').trim();
  if (words) return `Live chat: ${words.length > 80 ? `${words.slice(0, 79)}…` : words}`;
  return `Live chat with ${visitorLabel(conversation)}`;
}
