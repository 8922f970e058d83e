// Leases: a worker keeps watching an address whose row is locked while its mail is recorded. The
// heartbeat used to skip locked rows, read that as a lost lease, and drop the IMAP connection: a
// mail arriving then waited for the reconnect (the IDLE latency benchmark's p99 of ~1 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../tests/support/stack.js';
import { startImapServer, type ImapTestServer } from '../../../tests/support/mail-servers.js';
import { createSupportAddress } from '../../../tests/support/support-address.js';
import { acrossTenants } from '@switchboard/server/db/tenant-scope.js';
import { EmailAddress } from '@switchboard/server/modules/email/email-address.entity.js';
import { MailboxLeases } from './mailbox-leases.js';

let stack: TestStack;
let imap: ImapTestServer;
let addressId: string;

const options = { leaseSeconds: 30, heartbeatMs: 60_000, maxMailboxes: 10, pollIntervalMs: 60_000 };

beforeAll(async () => {
  imap = await startImapServer();
  stack = await startTestStack();
  const admin = await stack.login('admin@demo.test');
  addressId = await createSupportAddress(admin, {
    displayName: 'Leased desk',
    address: 'leased-desk@demo.test',
    imapPort: imap.port,
    imapUser: imap.user,
    imapPassword: imap.password,
  });
});

afterAll(async () => {
  await stack?.close();
  await imap?.close();
});

describe('mailbox leases', () => {
  it('keep watching an address while its row is locked by a transaction recording its mail', async () => {
    const leases = new MailboxLeases(stack.runtime.services, options);
    try {
      await leases.start();
      expect(leases.watching).toBe(1);
      let heartbeatDone = false;
      await acrossTenants(stack.runtime.orm.em).transactional(async (tx) => {
        // What MailIngestService does for the length of a batch.
        await tx.execute('select 1 from email_addresses where id = ? for update', [addressId]);
        const heartbeat = leases.heartbeat().then(() => (heartbeatDone = true));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(heartbeatDone).toBe(false); // it waits for the row instead of skipping it
        expect(leases.watching).toBe(1);
        void heartbeat;
      });
      await expect.poll(() => heartbeatDone).toBe(true);
      expect(leases.watching).toBe(1);
      const address = await acrossTenants(stack.runtime.orm.em).findOneOrFail(EmailAddress, addressId);
      expect(address.leaseOwner).toBe(leases.owner);
      expect(address.leaseExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 20_000);
    } finally {
      await leases.stop();
    }
  });
});
