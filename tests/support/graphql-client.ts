import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } & Record<string, unknown> }>;
}

/** A small GraphQL-over-HTTP and graphql-ws client for tests. */
export class GraphQLTestClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  async request<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<GraphQLResponse<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: res.status, ...body };
  }

  /** Like request, but fails the test on any GraphQL error. */
  async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const res = await this.request<T>(query, variables);
    if (res.errors?.length || !res.data) throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
    return res.data;
  }

  async login(email: string, password: string): Promise<string> {
    const data = await this.data<{ login: { token: string } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: email, p: password },
    );
    return data.login.token;
  }

  ws(options: { onClosed?: (code: number, reason: string) => void } = {}): Client {
    return createClient({
      url: `${this.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
      on: {
        closed: (event) => {
          const close = event as { code: number; reason: string };
          options.onClosed?.(close.code, close.reason);
        },
      },
    });
  }
}

/** Collects subscription results; `next()` waits for the next one. */
export function subscribe<T>(client: Client, query: string, variables?: Record<string, unknown>) {
  const received: Array<{ data?: T | null; errors?: unknown }> = [];
  const waiters: Array<() => void> = [];
  let done = false;
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        received.push(value as { data?: T | null; errors?: unknown });
        waiters.splice(0).forEach((w) => w());
      },
      error: (error) => {
        received.push({ errors: error });
        done = true;
        waiters.splice(0).forEach((w) => w());
      },
      complete: () => {
        done = true;
        waiters.splice(0).forEach((w) => w());
      },
    },
  );
  let cursor = 0;
  return {
    received,
    get done() {
      return done;
    },
    dispose,
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (cursor >= received.length) {
        if (done) throw new Error('subscription ended');
        if (Date.now() > deadline) throw new Error('timed out waiting for a subscription result');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received[cursor++]!;
    },
  };
}
