// The mail pipeline against a real Dovecot: IDLE and polling, Dovecot restarting mid-IDLE, a worker
// killed again and again while it ingests, and an SMTP outage the outbox rides out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../support/stack.js';
import type { GraphQLTestClient } from '../support/graphql-client.js';
import { dovecotAvailable, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { eventually, startSmtpServer, type SmtpTestServer } from '../support/mail-servers.js';
import { startEntry, tempDir, type ManagedProcess } from '../support/processes.js';
import { MailboxLeases } from '../../workers/src/mailboxes/mailbox-leases.js';
import { createSupportAddress } from '../support/support-address.js';

const suite = dovecotAvailable() ? describe : describe.skip;
if (!dovecotAvailable())
  console.warn('Dovecot is not installed (apt-get install dovecot-imapd): skipping the real-IMAP suite');

let stack: TestStack;
let dovecot: DovecotServer;
let smtp: SmtpTestServer;
let admin: GraphQLTestClient;
let agent: GraphQLTestClient;

function mail(from: string, subject: string, id: string, body = 'Hello'): string {
  return [
    `From: ${from}`,
    'To: help@demo.test',
    `Subject: ${subject}`,
    `Message-ID: <${id}>`,
    `Date: ${new Date().toUTCString()}`,
    '',
    body,
    '',
  ].join('\r\n');
}

async function addAddress(user: string, address: string): Promise<string> {
  return createSupportAddress(admin, {
    displayName: address,
    address,
    imapPort: dovecot.port,
    imapUser: user,
    imapPassword: dovecot.password,
    smtpPort: smtp.port,
  });
}

async function countBySubject(prefix: string): Promise<number> {
  const { tickets } = await agent.data<{ tickets: { totalCount: number } }>(
    'query($q: String) { tickets(filter: { query: $q }) { totalCount } }',
    { q: prefix },
  );
  return tickets.totalCount;
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return stack.runtime.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

suite('mail through a real Dovecot', () => {
  beforeAll(async () => {
    [dovecot, smtp] = await Promise.all([startDovecot(['idle', 'poll', 'crash']), startSmtpServer()]);
    stack = await startTestStack({ env: { MAIL_RETRY_BASE_SECONDS: 1, PUBLIC_URL: 'https://help.demo.test' } });
    [admin, agent] = await Promise.all([stack.login('admin@demo.test'), stack.login('agent1@demo.test')]);
  });
  afterAll(async () => {
    await stack?.close();
    await Promise.all([dovecot?.close(), smtp?.close()]);
  });

  it('picks up new mail through IDLE and resumes after Dovecot restarts mid-IDLE', async () => {
    await addAddress('idle', 'idle@demo.test');
    const leases = new MailboxLeases(stack.runtime.services, {
      leaseSeconds: 30,
      heartbeatMs: 500,
      maxMailboxes: 10,
      pollIntervalMs: 600_000,
    });
    await leases.start();
    try {
      await dovecot.deliver('idle', mail('a1@customer.test', 'idlepath one', 'idle-1@customer.test'));
      await eventually(async () => (await countBySubject('idlepath')) === 1, 10_000);
      await dovecot.stop();
      await new Promise((r) => setTimeout(r, 500));
      await dovecot.start();
      await dovecot.deliver('idle', mail('a2@customer.test', 'idlepath two', 'idle-2@customer.test'));
      await eventually(async () => (await countBySubject('idlepath')) === 2, 20_000);
    } finally {
      await leases.stop();
    }
  });

  it('polls a mailbox when IDLE is not used', async () => {
    await addAddress('poll', 'poll@demo.test');
    const leases = new MailboxLeases(stack.runtime.services, {
      leaseSeconds: 30,
      heartbeatMs: 500,
      maxMailboxes: 10,
      pollIntervalMs: 1_000,
      useIdle: false,
    });
    await leases.start();
    try {
      await dovecot.deliver('poll', mail('p1@customer.test', 'pollpath one', 'poll-1@customer.test'));
      await eventually(async () => (await countBySubject('pollpath')) === 1, 10_000);
    } finally {
      await leases.stop();
    }
  });

  it('loses and duplicates nothing when the worker is killed again and again while ingesting', async () => {
    const id = await addAddress('crash', 'crash@demo.test');
    const total = 40;
    for (let i = 0; i < total; i++) {
      await dovecot.deliver(
        'crash',
        mail(`sender${i}@customer.test`, `crashpath ${i}`, `crash-${i}@customer.test`, `mail ${i}`),
      );
    }
    const env = {
      DATABASE_URL: stack.databaseUrl,
      SECRET_KEY: stack.runtime.env.SECRET_KEY,
      DATA_DIR: tempDir('switchboard-crash-worker-'),
      MAILBOX_LEASE_SECONDS: '2',
      LOG_LEVEL: 'warn',
    };
    let kills = 0;
    for (; kills < 6; kills++) {
      const worker: ManagedProcess = startEntry('workers/src/main.ts', { env });
      await worker.waitForOutput('Switchboard workers are running', 60_000);
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      worker.signal('SIGKILL');
      await worker.waitForExit(10_000);
    }
    const finisher = startEntry('workers/src/main.ts', { env });
    try {
      await eventually(async () => {
        const [row] = await sql<{ n: string }>(
          `select count(*) as n from mail_messages where direction = 'IN' and email_address_id = ?`,
          [id],
        );
        return Number(row!.n) === total;
      }, 60_000);
    } finally {
      finisher.signal('SIGTERM');
      await finisher.waitForExit(20_000).catch(() => finisher.destroy());
    }
    const events = await sql<{ message_id: string; n: string }>(
      `select m.message_id, count(e.id) as n from mail_messages m join timeline_events e on e.data->>'mailId' = m.id::text
       where m.email_address_id = ? and e.kind = 'EMAIL_IN' group by m.message_id`,
      [id],
    );
    expect(events).toHaveLength(total);
    expect(events.every((e) => Number(e.n) === 1)).toBe(true);
    expect(await countBySubject('crashpath')).toBe(total);
    console.log(`crash test: ${kills} kills, ${total} mails, each ingested exactly once`);
  }, 300_000);

  it('delivers everything once the SMTP server is back after an outage', async () => {
    await addAddress('idle', 'outage-desk@demo.test'); // this test sends from an address of its own
    const { createTicket } = await agent.data<{ createTicket: { id: string } }>(
      'mutation { createTicket(input: { title: "Outage", description: "x", requesterEmail: "outage@customer.test" }) { id } }',
    );
    smtp.setDown(true);
    const before = smtp.received.length;
    for (let i = 0; i < 3; i++) {
      await agent.data(
        'mutation($t: ID!, $b: String!) { addComment(input: { ticketId: $t, body: $b, internal: false }) { id } }',
        {
          t: createTicket.id,
          b: `outage reply ${i}`,
        },
      );
    }
    for (let i = 0; i < 3; i++) await stack.runtime.services.outbox.sendDue();
    expect(smtp.received.length).toBe(before);
    const [failing] = await sql<{ n: string }>(
      `select count(*) as n from mail_messages where status = 'QUEUED' and ticket_id = ?`,
      [createTicket.id],
    );
    expect(Number(failing!.n)).toBe(3);
    smtp.setDown(false);
    // Other mail of earlier tests (receipts of the crash test's tickets) may go out too: count ours.
    const outageMails = () => smtp.received.slice(before).filter((m) => m.to.includes('outage@customer.test'));
    await eventually(async () => {
      await stack.runtime.services.outbox.sendDue();
      return outageMails().length >= 3;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    await stack.runtime.services.outbox.sendDue();
    const replies = outageMails().map((m) => /outage reply (\d)/.exec(m.raw)?.[1]);
    expect(replies.sort()).toEqual(['0', '1', '2']);
  });
});
