// Cross-process events over PostgreSQL LISTEN/NOTIFY.
//
// `publishInTransaction` issues NOTIFY on the transaction's own connection, so PostgreSQL delivers
// it only when that transaction commits (and never if it rolls back): publish-after-commit is
// guaranteed by the database rather than by remembering to call something later. Every process
// LISTENs on one channel and fans events out to its local subscribers, so an event published by a
// worker or another API server reaches subscriptions on every server.
import pg from 'pg';
import { createPubSub } from '@graphql-yoga/subscription';
import type { EntityManager } from '@mikro-orm/postgresql';
import { childLogger } from '../lib/logger.js';
import { EVENT_CHANNEL, MAX_EVENT_BYTES, type BusMessage, type EventName, type EventPayload } from './registry.js';

const log = childLogger('event-bus');

type LocalTopics = { [N in EventName]: [BusMessage<N>] };

export class EventBus {
  private readonly local = createPubSub<LocalTopics>();
  private listener: pg.Client | undefined;
  private stopped = false;
  private reconnectDelay = 250;
  private readonly readyWaiters: Array<() => void> = [];
  private listening = false;

  constructor(private readonly connectionString: string) {}

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
    this.local.publish(message.name, message as never);
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

  /** For events that follow no database change of ours. */
  async publish<N extends EventName>(em: EntityManager, name: N, payload: EventPayload<N>): Promise<void> {
    await em.execute('select pg_notify(?, ?)', [EVENT_CHANNEL, this.encode(name, payload)]);
  }

  subscribe<N extends EventName>(name: N): AsyncIterable<BusMessage<N>> {
    return this.local.subscribe(name) as AsyncIterable<BusMessage<N>>;
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
