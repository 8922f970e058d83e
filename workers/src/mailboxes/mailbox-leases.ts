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
      const rows = await this.services.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ id: string }>>(
          `update email_addresses set lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?)
         where id in (
           select id from email_addresses
           where is_active and (lease_owner = ? or lease_expires_at is null or lease_expires_at < now())
           order by (lease_owner = ?) desc nulls last, id
           limit ? for update skip locked)
         returning id`,
          [this.owner, this.options.leaseSeconds, this.owner, this.owner, this.options.maxMailboxes],
        );
      const leased = new Set(rows.map((r) => r.id));
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
