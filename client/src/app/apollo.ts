// The Apollo client: queries and mutations over HTTP, subscriptions over graphql-ws, both carrying
// the session token; any sign from the server that the session is over ends it here.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type Reference } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { isSessionError } from './errors';
import type { SessionStore } from './session';
import { socketStatus } from './socket-status';

declare module '@apollo/client' {
  interface DefaultContext {
    /** The token an operation was sent with, so a late answer cannot end a newer session. */
    sessionToken?: string | null;
  }
}

/** Close codes with which the server ends a session's sockets (expired, revoked) or refuses a token. */
export const SESSION_CLOSE_CODES: ReadonlySet<number> = new Set([4401, 4403]);

const GRAPHQL_PATH = '/graphql';

function webSocketUrl(): string {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function closeCode(event: unknown): number | undefined {
  if (typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number') {
    return event.code;
  }
  return undefined;
}

/** A graphql-ws client for one session's token. It stays connected while the session lasts. */
function openSocket(store: SessionStore, token: string): Client {
  return createClient({
    url: webSocketUrl(),
    connectionParams: { authorization: `Bearer ${token}` },
    // Connected from sign-in on, so the server can tell this page at once when the session ends.
    lazy: false,
    retryAttempts: Number.POSITIVE_INFINITY,
    retryWait: async (retries) => {
      const delay = Math.min(30_000, 1000 * 2 ** retries) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, delay));
    },
    shouldRetry: (event) => !SESSION_CLOSE_CODES.has(closeCode(event) ?? 0),
    onNonLazyError: () => {
      // Reported through `closed` below; a dropped connection is retried.
    },
    on: {
      connected: () => {
        if (store.token === token) socketStatus.connected();
      },
      closed: (event) => {
        const code = closeCode(event);
        if (code !== undefined && SESSION_CLOSE_CODES.has(code) && store.token === token) store.end('expired');
        else if (store.token === token) socketStatus.lost();
      },
    },
  });
}

/** Closes a socket; one that never connected (refused token) has nothing left to close. */
function closeSocket(socket: Client): void {
  Promise.resolve()
    .then(() => socket.dispose())
    .catch(() => undefined);
}

interface TicketPage {
  __typename?: string;
  nodes: Reference[];
  totalCount: number;
  pageInfo: unknown;
}

/**
 * The cache: ticket lists are kept per filter and sort (not per page), and "load more" appends the
 * next page to the one list, skipping tickets already in it (live inserts may have added them).
 */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          tickets: {
            keyArgs: ['filter', 'sort'],
            merge(existing: TicketPage | undefined, incoming: TicketPage, { args, readField }) {
              if (!existing || !args?.['after']) return incoming;
              const seen = new Set(existing.nodes.map((node) => readField<string>('id', node)));
              const fresh = incoming.nodes.filter((node) => !seen.has(readField<string>('id', node)));
              return { ...incoming, nodes: [...existing.nodes, ...fresh] };
            },
          },
          // The notification centre pages with `before`; the bell's list (no arguments) stays its own.
          notifications: {
            keyArgs: ['unreadOnly', 'first'],
            merge(existing: Reference[] | undefined, incoming: Reference[], { args, readField }) {
              if (!existing || !args?.['before']) return incoming;
              const seen = new Set(existing.map((node) => readField<string>('id', node)));
              return [...existing, ...incoming.filter((node) => !seen.has(readField<string>('id', node)))];
            },
          },
        },
      },
      // Presence lists have no id of their own: each answer replaces the last.
      TicketPresenceState: { keyFields: ['ticketId'] },
    },
  });
}

export interface AppApollo {
  client: ApolloClient;
}

export function createAppApollo(store: SessionStore): AppApollo {
  const httpLink = new HttpLink({ uri: GRAPHQL_PATH });

  const authLink = new SetContextLink(({ headers }) => {
    const token = store.token;
    return {
      sessionToken: token,
      headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
    };
  });

  const sessionLink = new ErrorLink(({ error, operation }) => {
    const token = operation.getContext().sessionToken;
    if (token && token === store.token && isSessionError(error)) store.end('expired');
  });

  let socket: Client | null = null;
  let followed: string | null | undefined;

  const linkFor = (ws: Client | null): ApolloLink => {
    const transport = ws
      ? ApolloLink.split(
          (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
          new GraphQLWsLink(ws),
          httpLink,
        )
      : httpLink;
    return ApolloLink.from([authLink, sessionLink, transport]);
  };

  const client = new ApolloClient({
    cache: createCache(),
    link: linkFor(null),
    clientAwareness: { name: 'switchboard-web', version: '0.1.0' },
  });

  /**
   * Opens the socket of the current session and closes the last one's. When a session ends (or
   * another replaces it), its data is dropped from the cache so that nothing of it outlives it.
   */
  const follow = () => {
    const token = store.token;
    if (token === followed) return;
    const ended = followed != null;
    followed = token;
    if (socket) closeSocket(socket);
    socketStatus.reset();
    socket = token ? openSocket(store, token) : null;
    client.setLink(linkFor(socket));
    if (ended) void client.clearStore();
  };
  store.subscribe(follow);
  follow();

  return { client };
}
