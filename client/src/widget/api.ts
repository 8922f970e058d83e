// The widget's connection to Switchboard: urql over HTTP (queries, mutations) and graphql-ws
// (subscriptions), both to the visitor API at /widget/graphql of the server that served widget.js.
// The visitor token lives in localStorage per widget key, so a reload resumes the conversation.
import { Client, fetchExchange, gql, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws/client';

export type Author = 'VISITOR' | 'AGENT' | 'SYSTEM';
export type Status = 'OPEN' | 'CLOSED' | 'CONVERTED';

export interface Message {
  id: string;
  author: Author;
  body: string;
  createdAt: string;
  agentName: string | null;
}

export interface Conversation {
  status: Status;
  name: string | null;
  email: string | null;
  ticketNumber: number | null;
  messages: Message[];
}

export interface WidgetInfo {
  teamName: string;
  greeting: string;
  color: string;
  askForContact: boolean;
  requireEmail: boolean;
}

export interface VisitorEvent {
  kind: 'MESSAGE' | 'UPDATED' | 'TYPING' | 'CREATED';
  status: Status;
  typing: boolean | null;
  agentName: string | null;
  message: Message | null;
}

const MESSAGE = 'id author body createdAt agentName';
const CONVERSATION = `status name email ticketNumber messages { ${MESSAGE} }`;

export const WidgetQuery = gql<{ widget: WidgetInfo }>(
  `query Widget { widget { teamName greeting color askForContact requireEmail } }`,
);
export const ConversationQuery = gql<{ conversation: Conversation | null }>(
  `query Conversation { conversation { ${CONVERSATION} } }`,
);
export const StartMutation = gql<
  { startConversation: { token: string; conversation: Conversation } },
  { input: { name?: string; email?: string; pageUrl?: string } }
>(
  `mutation Start($input: StartConversationInput) { startConversation(input: $input) { token conversation { ${CONVERSATION} } } }`,
);
export const SendMutation = gql<{ sendMessage: Message }, { body: string }>(
  `mutation Send($body: String!) { sendMessage(body: $body) { ${MESSAGE} } }`,
);
export const TypingMutation = gql<{ setTyping: boolean }, { typing: boolean }>(
  `mutation Typing($typing: Boolean!) { setTyping(typing: $typing) }`,
);
export const TranscriptMutation = gql<{ emailTranscript: string }, { email?: string | null }>(
  `mutation Transcript($email: String) { emailTranscript(email: $email) }`,
);
export const EventsSubscription = gql<{ conversationEvents: VisitorEvent }>(
  `subscription Events { conversationEvents { kind status typing agentName message { ${MESSAGE} } } }`,
);

/** The visitor token of this widget key, kept across reloads (and lost with site data, by design). */
export class TokenStore {
  private readonly storageKey: string;
  private value: string | null;

  constructor(widgetKey: string) {
    this.storageKey = `switchboard.widget.${widgetKey}`;
    this.value = safeGet(this.storageKey);
  }

  get token(): string | null {
    return this.value;
  }

  set(token: string | null): void {
    this.value = token;
    try {
      if (token) localStorage.setItem(this.storageKey, token);
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage blocked (privacy mode): the conversation lasts as long as the page.
    }
  }
}

function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export interface WidgetConnection {
  client: Client;
  tokens: TokenStore;
  /** Drops the socket so the next subscription connects with the current token. */
  reconnect(): void;
}

export function connect(server: string, widgetKey: string): WidgetConnection {
  const tokens = new TokenStore(widgetKey);
  const endpoint = `${server}/widget/graphql?key=${encodeURIComponent(widgetKey)}`;
  let socket: WsClient | null = null;
  const ws = () =>
    (socket ??= createWsClient({
      url: endpoint.replace(/^http/, 'ws'),
      lazy: true,
      connectionParams: () => (tokens.token ? { authorization: `Bearer ${tokens.token}` } : {}),
      retryAttempts: Infinity,
      shouldRetry: (event) => (event as { code?: number }).code !== 4403,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 1000 * 2 ** retries))),
    }));
  const client = new Client({
    url: endpoint,
    requestPolicy: 'network-only',
    // POST only: GET queries are refused by the server's CSRF protection (and would skip CORS preflights).
    preferGetMethod: false,
    fetchOptions: (): RequestInit => {
      const headers: Record<string, string> = {};
      if (tokens.token) headers.authorization = `Bearer ${tokens.token}`;
      return { headers };
    },
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws().subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return {
    client,
    tokens,
    reconnect() {
      void socket?.dispose();
      socket = null;
    },
  };
}
