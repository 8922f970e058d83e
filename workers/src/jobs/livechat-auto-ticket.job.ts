// Turns live chats into tickets when the visitor left an email address and no agent answered within
// the tenant's N minutes. Idempotent and exactly once: each conversation is converted under its row
// lock (SKIP LOCKED across workers) and only while it has no ticket; the conversation's own state
// in PostgreSQL is the cursor.
import type { Agenda } from 'agenda';
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

export const LIVECHAT_AUTO_TICKET = 'livechat-auto-ticket';
const log = childLogger(LIVECHAT_AUTO_TICKET);

export async function registerLiveChatAutoTicket(agenda: Agenda, services: Services): Promise<void> {
  agenda.define(LIVECHAT_AUTO_TICKET, async () => {
    const converted = await services.liveChat.convertUnanswered();
    if (converted) log.info({ converted }, 'turned unanswered live chats into tickets');
  });
  await agenda.every('30 seconds', LIVECHAT_AUTO_TICKET);
}
