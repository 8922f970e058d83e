// One live subscription for the whole agent app (mounted with the nav link): every live chat event
// of the tenant updates the cached list and the open conversation, and typing goes to a small store.
import { useSyncExternalStore } from 'react';
import { useApolloClient, useSubscription } from '@apollo/client/react';
import {
  LiveConversationDocument,
  LiveConversationEventsDocument,
  LiveConversationsDocument,
  type LiveConversationQuery,
  type LiveConversationsQuery,
} from '../../gql/graphql';

type Typing = { name: string; until: number };
const typing = new Map<string, Typing>();
const listeners = new Set<() => void>();
const TYPING_SHOWN_MS = 8_000;

function setTyping(conversationId: string, who: Typing | null): void {
  if (who) typing.set(conversationId, who);
  else typing.delete(conversationId);
  listeners.forEach((listener) => listener());
  if (who) setTimeout(() => typing.get(conversationId) === who && setTyping(conversationId, null), TYPING_SHOWN_MS);
}

/** Who is typing in a conversation (the visitor or another agent), or null. */
export function useTypingIn(conversationId: string | undefined): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => (conversationId ? (typing.get(conversationId)?.name ?? null) : null),
  );
}

export function useLiveChatEvents(): void {
  const client = useApolloClient();
  useSubscription(LiveConversationEventsDocument, {
    onData: ({ data: result }) => {
      const event = result.data?.liveConversationEvents;
      if (!event) return;
      const { conversation, message } = event;
      if (event.kind === 'TYPING') {
        setTyping(conversation.id, event.typing ? { name: event.typistName ?? 'Visitor', until: Date.now() } : null);
        return;
      }
      client.cache.updateQuery({ query: LiveConversationsDocument }, (list): LiveConversationsQuery | undefined => {
        if (!list) return undefined;
        const others = list.liveConversations.filter((c) => c.id !== conversation.id);
        const sorted = [conversation, ...others].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
        return { liveConversations: sorted };
      });
      if (message) {
        if (message.author === 'VISITOR') setTyping(conversation.id, null);
        client.cache.updateQuery(
          { query: LiveConversationDocument, variables: { id: conversation.id } },
          (data): LiveConversationQuery | undefined => {
            const current = data?.liveConversation;
            if (!current || current.messages.some((m) => m.id === message.id)) return data ?? undefined;
            return { liveConversation: { ...current, ...conversation, messages: [...current.messages, message] } };
          },
        );
      }
    },
  });
}
