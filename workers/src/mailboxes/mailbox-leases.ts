// Shares the mailboxes among worker processes: each worker leases addresses in the database and
// renews its leases by heartbeat; a dead worker's leases expire and a live worker takes them over.
import crypto from 'node:crypto';
import os from 'node:os';
import type { Services } from '@switchboard/server/app/services.js';
import { childLogger } from '@switchboard/server/lib/logger.js';
import { MailboxWatcher } from './mailbox-watcher.js';

const log = childLogger('mailbox-leases');

export interface LeaseOptions {
  leaseSeconds: number;
  heartbeatMs: number;
  maxMailboxes: number;
  pollIntervalMs: number;
  useIdle?: boolean;
}

export class MailboxLeases {
  readonly owner = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private readonly watchers = new Map<string, MailboxWatcher>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private stopFetchRequests: (() => void) | null = null;

  constructor(
    private readonly services: Services,
    private readonly options: LeaseOptions,
  ) {}

  async start(): Promise<void> {
    // The first mail should not wait for a reading thread to load the parser.
    await this.services.mailReader.warmUp();
    await this.heartbeat();
    this.timer = setInterval(() => void this.heartbeat(), this.options.heartbeatMs);
    const requests = this.services.bus.subscribe('mailbox.fetch-requested');
    this.stopFetchRequests = () => void requests.return();
    void (async () => {
      for await (const { payload } of requests) this.watchers.get(payload.emailAddressId)?.requestFetch();
    })();
  }

  get watching(): number {
    return this.watchers.size;
  }

  /** Renews our leases, takes free or expired ones, and starts or stops watchers to match. */
  async heartbeat(): Promise<void> {
    if (this.stopped) return;
    try {
      const leased = await this.renewAndTake();
      for (const [id, watcher] of this.watchers) {
        if (!leased.has(id)) {
          this.watchers.delete(id);
          void watcher.stop();
        }
      }
      for (const id of leased) {
        if (!this.watchers.has(id)) {
          this.watchers.set(
            id,
            new MailboxWatcher(id, this.services, this.options.pollIntervalMs, this.options.useIdle ?? true),
          );
        }
      }
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'lease heartbeat failed');
    }
  }

  /**
   * The addresses this worker holds after the heartbeat. Our own leases are renewed without SKIP
   * LOCKED: an address row is locked while its mail is recorded, and skipping it would read as a
   * lost lease and stop a watcher in the middle of its work. Free and expired leases are taken with
   * SKIP LOCKED, so workers never wait on each other for them.
   */
  private async renewAndTake(): Promise<Set<string>> {
    const connection = this.services.orm.em.fork().getConnection();
    const { leaseSeconds, maxMailboxes } = this.options;
    // The ownership test sits in the UPDATE itself, so that it is checked again on a row another
    // worker took meanwhile (after our lease had expired): that row is theirs now.
    const renewed = await connection.execute<Array<{ id: string }>>(
      `update email_addresses set lease_expires_at = now() + make_interval(secs => ?)
       where is_active and lease_owner = ?
       returning id`,
      [leaseSeconds, this.owner],
    );
    const room = maxMailboxes - renewed.length;
    const taken =
      room > 0
        ? await connection.execute<Array<{ id: string }>>(
            `update email_addresses set lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?)
             where id in (
               select id from email_addresses
               where is_active and lease_owner is distinct from ? and (lease_expires_at is null or lease_expires_at < now())
               order by id limit ? for update skip locked)
             returning id`,
            [this.owner, leaseSeconds, this.owner, room],
          )
        : [];
    return new Set([...renewed, ...taken].map((r) => r.id));
  }

  /** Stops watching and gives the leases back so another worker takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.stopFetchRequests?.();
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
    await this.services.orm.em
      .fork()
      .getConnection()
      .execute('update email_addresses set lease_owner = null, lease_expires_at = null where lease_owner = ?', [
        this.owner,
      ])
      .catch(() => undefined);
  }
}
