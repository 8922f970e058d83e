// Mail in, reply out, reply back in: against real IMAP and SMTP servers, through the workers'
// mailbox watchers and the outbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import {
  eventually,
  startImapServer,
  startSmtpServer,
  type ImapTestServer,
  type SmtpTestServer,
} from '../../../../tests/support/mail-servers.js';
import { MailboxLeases } from '../../../../workers/src/mailboxes/mailbox-leases.js';
import { OutboxPump } from '../../../../workers/src/outbox/outbox-pump.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let imap: ImapTestServer;
let smtp: SmtpTestServer;
let leases: MailboxLeases;
let pump: OutboxPump;
let agent: GraphQLTestClient;

interface TicketView {
  id: string;
  number: number;
  title: string;
  status: string;
  requester: { email: string } | null;
  emailAddress: { address: string } | null;
  timeline: Array<{ kind: string; body: string | null; internal: boolean; data: Record<string, unknown> }>;
}
const TICKET =
  'id number title status requester { email } emailAddress { address } timeline { kind body internal data }';

async function ticketsBy(query: string): Promise<TicketView[]> {
  const { tickets } = await agent.data<{ tickets: { nodes: TicketView[] } }>(
    `query($q: String) { tickets(filter: { query: $q }, first: 50) { nodes { ${TICKET} } } }`,
    { q: query },
  );
  return tickets.nodes;
}

function mail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries({
    Date: new Date().toUTCString(),
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
  }).map(([k, v]) => `${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}\r\n`;
}

beforeAll(async () => {
  [imap, smtp] = await Promise.all([startImapServer(), startSmtpServer()]);
  stack = await startTestStack({ env: { PUBLIC_URL: 'https://help.demo.test' } });
  const admin = await stack.login('admin@demo.test');
  agent = await stack.login('agent1@demo.test');
  await createSupportAddress(admin, {
    displayName: 'Demo Support',
    address: 'support@demo.test',
    imapPort: imap.port,
    imapUser: imap.user,
    imapPassword: imap.password,
    smtpPort: smtp.port,
  });
  leases = new MailboxLeases(stack.runtime.services, {
    leaseSeconds: 30,
    heartbeatMs: 500,
    maxMailboxes: 10,
    pollIntervalMs: 2_000,
  });
  await leases.start();
  pump = new OutboxPump(stack.runtime.services);
  pump.start();
});

afterAll(async () => {
  await pump?.stop();
  await leases?.stop();
  await stack?.close();
  await Promise.all([imap?.close(), smtp?.close()]);
});

describe('mail to a support address', () => {
  let ticket: TicketView;
  let outgoingMessageId: string;

  it('becomes a ticket for a new customer, live, with the mail on its timeline', async () => {
    await imap.deliver(
      mail(
        {
          From: 'Robin Reader <robin@customer.test>',
          To: 'support@demo.test',
          Subject: 'Scanner jams on page two',
          'Message-ID': '<first-1@customer.test>',
        },
        'Every scan stops after the first page.\n\nRobin',
      ),
    );
    ticket = await eventually(async () => (await ticketsBy('Scanner'))[0]);
    expect(ticket).toMatchObject({
      title: 'Scanner jams on page two',
      status: 'NEW',
      requester: { email: 'robin@customer.test' },
      emailAddress: { address: 'support@demo.test' },
    });
    const emailIn = ticket.timeline.find((e) => e.kind === 'EMAIL_IN');
    expect(emailIn?.body).toContain('Every scan stops');
    expect(emailIn?.data).toMatchObject({ from: 'robin@customer.test', subject: 'Scanner jams on page two' });
  });

  it('sends the customer a receipt that is marked as automatic', async () => {
    const [receipt] = await smtp.waitFor(1);
    expect(receipt!.to).toEqual(['robin@customer.test']);
    expect(receipt!.raw).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(receipt!.raw).toMatch(new RegExp(`\\[Ticket#${ticket.number}\\]`));
    expect(receipt!.raw).toMatch(/^In-Reply-To: <first-1@customer.test>/m);
  });

  it("mails an agent's public reply, threaded, from the ticket's address, and never an internal note", async () => {
    await agent.data(
      'mutation($t: ID!) { addComment(input: { ticketId: $t, body: "Internal: check the roller", internal: true }) { id } }',
      {
        t: ticket.id,
      },
    );
    await agent.data(
      'mutation($t: ID!) { addComment(input: { ticketId: $t, body: "Please clean the rollers and try again.", internal: false }) { id } }',
      {
        t: ticket.id,
      },
    );
    const received = await smtp.waitFor(2);
    const reply = received[1]!;
    expect(reply.raw).toContain('Please clean the rollers');
    expect(received.map((m) => m.raw).join('\n')).not.toContain('check the roller');
    expect(reply.raw).toMatch(/^From: "?Demo Support"? <support@demo.test>/m);
    expect(reply.raw).toMatch(/^References: .*<first-1@customer.test>/m);
    expect(reply.raw).not.toMatch(/^Auto-Submitted:/m);
    outgoingMessageId = /^Message-ID: (<[^>]+>)/im.exec(reply.raw)![1]!;
    expect(outgoingMessageId).toMatch(/@help\.demo\.test>$/);
  });

  it("threads the customer's answer into the same ticket by In-Reply-To", async () => {
    await imap.deliver(
      mail(
        {
          From: 'robin@customer.test',
          To: 'support@demo.test',
          Subject: 'Re: something else entirely',
          'Message-ID': '<second-2@customer.test>',
          'In-Reply-To': outgoingMessageId,
        },
        'Cleaned them, works now!\n\nOn Mon, 3 Nov 2026 at 10:02, Alex Agent <support@demo.test> wrote:\n> Please clean the rollers',
      ),
    );
    const [updated] = await eventually(async () => {
      const found = await ticketsBy('Scanner');
      return found[0]!.timeline.filter((e) => e.kind === 'EMAIL_IN').length === 2 ? found : null;
    });
    expect(await ticketsBy('Scanner')).toHaveLength(1);
    const last = updated!.timeline.filter((e) => e.kind === 'EMAIL_IN').at(-1)!;
    expect(last.data.visibleText).toBe('Cleaned them, works now!');
  });

  it('threads by the subject token too, and an auto-reply opens nothing and sends nothing', async () => {
    const before = smtp.received.length;
    await imap.deliver(
      mail(
        {
          From: 'robin@customer.test',
          To: 'support@demo.test',
          Subject: `Another thing [Ticket#${ticket.number}]`,
          'Message-ID': '<third-3@customer.test>',
        },
        'One more question.',
      ),
    );
    await imap.deliver(
      mail(
        {
          From: 'away@customer.test',
          To: 'support@demo.test',
          Subject: 'Out of office',
          'Auto-Submitted': 'auto-replied',
          'Message-ID': '<ooo-4@customer.test>',
        },
        'I am away until Monday.',
      ),
    );
    await eventually(
      async () => (await ticketsBy('Scanner'))[0]!.timeline.filter((e) => e.kind === 'EMAIL_IN').length === 3,
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ticketsBy('office')).toHaveLength(0);
    expect(smtp.received.length).toBe(before);
  });

  it('handles every message exactly once across a restart of the watchers', async () => {
    await leases.stop();
    leases = new MailboxLeases(stack.runtime.services, {
      leaseSeconds: 30,
      heartbeatMs: 500,
      maxMailboxes: 10,
      pollIntervalMs: 2_000,
    });
    await leases.start();
    await imap.deliver(
      mail(
        {
          From: 'new@customer.test',
          To: 'support@demo.test',
          Subject: 'After restart',
          'Message-ID': '<fifth-5@customer.test>',
        },
        'Hello again',
      ),
    );
    await eventually(async () => (await ticketsBy('restart')).length === 1);
    await new Promise((r) => setTimeout(r, 1000));
    const scanner = (await ticketsBy('Scanner'))[0]!;
    expect(scanner.timeline.filter((e) => e.kind === 'EMAIL_IN')).toHaveLength(3);
  });
});

describe('password reset mail', () => {
  it('sends the reset link through the outbox, and the link sets a new password', async () => {
    const before = smtp.received.length;
    await stack.client().data('mutation { requestPasswordReset(email: "customer@demo.test") }');
    const received = await smtp.waitFor(before + 1);
    const resetMail = received.at(-1)!;
    expect(resetMail.to).toEqual(['customer@demo.test']);
    expect(resetMail.raw).toMatch(/^Auto-Submitted: auto-replied/m);
    // The text part is quoted-printable: undo soft line breaks and =XX escapes.
    const text = resetMail.raw
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    const token = /reset-password\?token=([A-Za-z0-9_%-]+)/.exec(text)?.[1];
    expect(token).toBeTruthy();
    await stack.client().data('mutation($t: String!) { resetPassword(token: $t, password: "brand-new-pass") }', {
      t: decodeURIComponent(token!),
    });
    expect(await stack.client().login('customer@demo.test', 'brand-new-pass')).toMatch(/^sb_/);
  });
});
