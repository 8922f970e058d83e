// Cross-process events over PostgreSQL LISTEN/NOTIFY.
//
// `publishInTransaction` issues NOTIFY on the transaction's own connection, so PostgreSQL delivers
// it only when that transaction commits (and never if it rolls back): publish-after-commit is
// guaranteed by the database rather than by remembering to call something later. Every process
// LISTENs on one channel and fans events out to its local subscribers, so an event published by a
// worker or another API server reaches subscriptions on every server.
import pg from 'pg';
import { EventEmitter } from 'node:events';
import type { EntityManager } from '@mikro-orm/postgresql';
import { childLogger } from '../lib/logger.js';
import { EVENT_CHANNEL, MAX_EVENT_BYTES, type BusMessage, type EventName, type EventPayload } from './registry.js';

const log = childLogger('event-bus');

/** An event waiting for its transaction's batch publish. */
export type PendingEvent = { [N in EventName]: { name: N; payload: EventPayload<N> } }[EventName];

export class EventBus {
  private readonly local = new EventEmitter({ captureRejections: false });
  private listener: pg.Client | undefined;
  private stopped = false;
  private reconnectDelay = 250;
  private readonly readyWaiters: Array<() => void> = [];
  private listening = false;

  constructor(private readonly connectionString: string) {
    this.local.setMaxListeners(0); // one listener per open subscription
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('error', (error) => {
      log.warn({ err: error.message }, 'event listener connection failed; reconnecting');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    client.on('notification', (message) => this.deliver(message.payload));
    await client.connect();
    await client.query(`LISTEN ${EVENT_CHANNEL}`);
    this.listener = client;
    this.listening = true;
    this.reconnectDelay = 250;
    this.readyWaiters.splice(0).forEach((resolve) => resolve());
  }

  private scheduleReconnect(client: pg.Client): void {
    if (this.stopped || this.listener !== client) return;
    this.listener = undefined;
    this.listening = false;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 10_000);
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch((error: Error) => {
        log.warn({ err: error.message }, 'event listener reconnect failed');
        const placeholder = new pg.Client();
        this.listener = placeholder;
        this.scheduleReconnect(placeholder);
      });
    }, delay).unref();
  }

  private deliver(raw: string | undefined): void {
    if (!raw) return;
    let message: BusMessage;
    try {
      message = JSON.parse(raw) as BusMessage;
    } catch {
      log.error('dropped an unreadable event');
      return;
    }
    this.local.emit(message.name, message);
  }

  private encode<N extends EventName>(name: N, payload: EventPayload<N>): string {
    const text = JSON.stringify({ name, payload, at: Date.now() } satisfies BusMessage<N>);
    if (Buffer.byteLength(text) > MAX_EVENT_BYTES) {
      throw new Error(`Event ${name} is too large for NOTIFY; events must carry ids only`);
    }
    return text;
  }

  /** Delivered when the surrounding transaction commits; dropped if it rolls back. */
  async publishInTransaction<N extends EventName>(em: EntityManager, name: N, payload: EventPayload<N>): Promise<void> {
    if (!em.isInTransaction()) throw new Error(`publishInTransaction(${name}) called outside a transaction`);
    await em.execute('select pg_notify(?, ?)', [EVENT_CHANNEL, this.encode(name, payload)]);
  }

  /** Several events in one round trip (batched writers), in order, delivered on commit like above. */
  async publishAllInTransaction(em: EntityManager, events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    if (!em.isInTransaction()) throw new Error('publishAllInTransaction called outside a transaction');
    const encoded = events.map((e) => this.encode(e.name, e.payload));
    // One JSON array parameter (the driver would spread a JS array into a list).
    await em.execute(
      'select pg_notify(?, m) from jsonb_array_elements_text(?::jsonb) with ordinality as t(m, n) order by n',
      [EVENT_CHANNEL, JSON.stringify(encoded)],
    );
  }

  /** For events that follow no database change of ours. */
  async publish<N extends EventName>(em: EntityManager, name: N, payload: EventPayload<N>): Promise<void> {
    await em.execute('select pg_notify(?, ?)', [EVENT_CHANNEL, this.encode(name, payload)]);
  }

  /**
   * Listens from this call on (not from the first `next()`), buffering what arrives meanwhile, so a
   * subscriber can replay from the database after subscribing without missing anything in between.
   */
  subscribe<N extends EventName>(name: N): LiveQueue<BusMessage<N>> {
    return new LiveQueue<BusMessage<N>>(this.local, name);
  }

  /** Resolves once this process is listening (after start or a reconnect). */
  async ready(): Promise<void> {
    if (this.listening) return;
    await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.listener;
    this.listener = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}

/** An async iterator over one local event name that buffers from construction on. */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private closed = false;
  private readonly listener = (value: T) => {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
    } else {
      this.buffer.push(value);
    }
  };

  constructor(
    private readonly emitter: EventEmitter,
    private readonly name: string,
  ) {
    emitter.on(name, this.listener);
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.emitter.off(this.name, this.listener);
      this.buffer.length = 0;
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * Wraps a generator that consumes `live`, so that ending the subscription (a client unsubscribes or
 * disconnects) ends the live queue first. An async generator parked in `await live.next()` cannot be
 * returned from outside until that promise settles; closing the queue settles it.
 */
export function closeWith<T>(
  live: { return(): Promise<unknown> },
  stream: AsyncGenerator<T>,
): AsyncIterableIterator<T> {
  return {
    next: () => stream.next(),
    return: async () => {
      await live.return();
      return stream.return(undefined);
    },
    throw: async (error: unknown) => {
      await live.return();
      return stream.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
