// Watches one support address: IMAP IDLE where the server offers it (new mail is fetched the moment
// the server announces it), polling otherwise, reconnecting with backoff. Known outside failures
// (wrong password, server down) become the address's visible health, never a crashed worker.
import type { ImapFlow } from 'imapflow';
import type { Services } from '@switchboard/server/app/services.js';
import { acrossTenants } from '@switchboard/server/db/tenant-scope.js';
import { EmailAddress } from '@switchboard/server/modules/email/email-address.entity.js';
import { imapClient } from '@switchboard/server/modules/email/mail-connections.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

const log = childLogger('mailbox-watcher');
/** Even with IDLE, look again now and then: some servers drop IDLE notifications silently. */
const SAFETY_POLL_MS = 5 * 60_000;

export class MailboxWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private fetching: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | null = null;
  private readonly done: Promise<void>;

  constructor(
    readonly emailAddressId: string,
    private readonly services: Services,
    private readonly pollIntervalMs: number,
    /** false: poll even when the server offers IDLE (servers without IDLE are always polled). */
    private readonly useIdle = true,
  ) {
    this.done = this.run();
  }

  /** "Fetch now", or the server said EXISTS. Serialised: one fetch at a time per mailbox. */
  requestFetch(): void {
    if (!this.client) {
      this.wakeUp?.(); // in backoff: try again now
      return;
    }
    const client = this.client;
    this.fetching = this.fetching
      .then(() => this.services.mailboxFetcher.fetchNew(client, this.emailAddressId))
      .then(({ fetched }) => {
        if (fetched) log.debug({ emailAddressId: this.emailAddressId, fetched }, 'fetched');
      })
      .catch(async (error: unknown) => {
        await this.services.mailboxFetcher.markFailure(this.emailAddressId, error);
        client.close(); // reconnect from scratch
      });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const address = await acrossTenants(this.services.orm.em).findOne(EmailAddress, this.emailAddressId);
      if (!address || !address.isActive) return;
      const wait = address.nextAttemptAt ? address.nextAttemptAt.getTime() - Date.now() : 0;
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      try {
        await this.session(address);
      } catch (error) {
        if (!this.stopped) await this.services.mailboxFetcher.markFailure(this.emailAddressId, error);
      }
    }
  }

  /** One connection's life: connect, catch up, then wait for news until the connection ends. */
  private async session(address: EmailAddress): Promise<void> {
    const client = imapClient(address, { idle: this.useIdle });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', (error: Error) =>
      log.debug({ emailAddressId: this.emailAddressId, err: error.message }, 'imap error'),
    );
    await client.connect();
    try {
      await client.mailboxOpen(address.imapFolder);
      this.client = client;
      client.on('exists', () => this.requestFetch());
      this.requestFetch();
      await this.fetching;
      const idle = this.useIdle && client.capabilities.has('IDLE');
      const timer = setInterval(() => this.requestFetch(), idle ? SAFETY_POLL_MS : this.pollIntervalMs);
      try {
        await closed;
      } finally {
        clearInterval(timer);
      }
    } finally {
      this.client = null;
      client.close();
    }
    if (!this.stopped) await this.sleep(1_000); // the server hung up: reconnect shortly
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
