// One channel's messages: the latest page, older pages on demand, and live changes (new, edited,
// deleted) merged in by id, plus who is typing. After a dropped connection the latest page is
// loaded again, so nothing sent meanwhile is missed.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApolloClient, useSubscription } from '@apollo/client/react';
import { ChatEventsDocument, ChatMessagesDocument, type ChatMessageItemFragment } from '../../gql/graphql';
import { useSocketStatus } from '../../app/socket-status';

const PAGE = 40;
/** A typing notice lasts this long unless repeated (the typist repeats it every 3 s). */
const TYPING_MS = 6_000;

export type ChatMessage = ChatMessageItemFragment;

export interface Typist {
  id: string;
  name: string;
  until: number;
}

export interface ChannelMessages {
  messages: ChatMessage[];
  loading: boolean;
  error: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  loadOlder(): Promise<void>;
  /** Puts a message the viewer just sent or changed in place at once. */
  upsert(message: ChatMessage): void;
  typists: Typist[];
  /** True once the viewer lost access (removed from a private channel). */
  removed: boolean;
}

function merge(list: ChatMessage[], incoming: ChatMessage[]): ChatMessage[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export function useChannelMessages(channelId: string): ChannelMessages {
  const client = useApolloClient();
  const socket = useSocketStatus();
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(false);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [typists, setTypists] = useState<Typist[]>([]);
  const [removed, setRemoved] = useState(false);
  const current = useRef(channelId);
  current.current = channelId;

  const loadLatest = useCallback(
    async (reset: boolean) => {
      if (reset) {
        setMessages([]);
        setLoading(true);
        setRemoved(false);
        setTypists([]);
      }
      setError(false);
      try {
        const { data } = await client.query({
          query: ChatMessagesDocument,
          variables: { channelId, first: PAGE },
          fetchPolicy: 'network-only',
        });
        if (current.current !== channelId || !data) return;
        setMessages((list) => merge(reset ? [] : list, data.chatMessages.nodes));
        if (reset) setHasOlder(data.chatMessages.hasOlder);
      } catch {
        if (current.current === channelId) setError(true);
      } finally {
        if (current.current === channelId) setLoading(false);
      }
    },
    [client, channelId],
  );

  useEffect(() => {
    void loadLatest(true);
  }, [loadLatest]);

  const reconnects = useRef(socket.reconnects);
  useEffect(() => {
    if (socket.reconnects === reconnects.current) return;
    reconnects.current = socket.reconnects;
    void loadLatest(false);
  }, [socket.reconnects, loadLatest]);

  useSubscription(ChatEventsDocument, {
    variables: { channelId },
    skip: removed,
    onData: ({ data }) => {
      const event = data.data?.chatEvents;
      if (!event || event.channelId !== current.current) return;
      if (event.kind === 'REMOVED') {
        setRemoved(true);
        return;
      }
      if (event.kind === 'TYPING' && event.user) {
        const typist = { id: event.user.id, name: event.user.name, until: Date.now() + TYPING_MS };
        setTypists((all) => [...all.filter((t) => t.id !== typist.id), typist]);
        return;
      }
      const message = event.message;
      if (message) {
        setMessages((list) => merge(list, [message]));
        if (event.kind === 'MESSAGE_CREATED') setTypists((all) => all.filter((t) => t.id !== message.author.id));
      }
    },
  });

  // Typing notices fade out on their own.
  useEffect(() => {
    if (typists.length === 0) return;
    const next = Math.min(...typists.map((t) => t.until)) - Date.now();
    const timer = window.setTimeout(
      () => setTypists((all) => all.filter((t) => t.until > Date.now())),
      Math.max(next, 50),
    );
    return () => window.clearTimeout(timer);
  }, [typists]);

  const loadOlder = useCallback(async () => {
    const oldest = messages[0];
    if (!oldest || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const { data } = await client.query({
        query: ChatMessagesDocument,
        variables: { channelId, before: oldest.id, first: PAGE },
        fetchPolicy: 'network-only',
      });
      if (current.current !== channelId || !data) return;
      setMessages((list) => merge(list, data.chatMessages.nodes));
      setHasOlder(data.chatMessages.hasOlder);
    } finally {
      setLoadingOlder(false);
    }
  }, [client, channelId, messages, loadingOlder]);

  const upsert = useCallback((message: ChatMessage) => setMessages((list) => merge(list, [message])), []);

  return { messages, loading, error, hasOlder, loadingOlder, loadOlder, upsert, typists, removed };
}
