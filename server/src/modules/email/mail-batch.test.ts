// Batched ingestion: the mails of one fetch in one transaction, with the same outcomes as one by
// one, later mails seeing earlier ones, the cursor moving with the batch, and a mail the database
// refuses kept HELD without stopping the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { subscribe } from '../../../../tests/support/graphql-client.js';
import { acrossTenants } from '../../db/tenant-scope.js';
import { EmailAddress } from './email-address.entity.js';
import { MailDirection, MailMessage, MailStatus } from './mail-message.entity.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let agent: GraphQLTestClient;
let addressId: string;

function mail(headers: Record<string, string>, body: string): Buffer {
  const lines = Object.entries({ 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`);
}

interface TicketView {
  id: string;
  number: number;
  title: string;
  timeline: Array<{ kind: string; id: string }>;
}

async function ticketsBy(query: string): Promise<TicketView[]> {
  const { tickets } = await agent.data<{ tickets: { nodes: TicketView[] } }>(
    `query($q: String) { tickets(filter: { query: $q }, first: 50) { nodes { id number title timeline { id kind } } } }`,
    { q: query },
  );
  return tickets.nodes;
}

beforeAll(async () => {
  stack = await startTestStack();
  const admin = await stack.login('admin@demo.test');
  agent = await stack.login('agent1@demo.test');
  addressId = await createSupportAddress(admin, { displayName: 'Batch desk', address: 'batch-desk@demo.test' });
});

afterAll(async () => {
  await stack?.close();
});

describe('a fetched batch of mails', () => {
  it('is recorded as one by one would: dedupe, threading to a ticket of the same batch, no ticket for auto-replies, receipts', async () => {
    const ws = agent.ws();
    const inbox = subscribe<{ inboxEvents: { kind: string; ticket: { title: string } } }>(
      ws,
      'subscription { inboxEvents { kind ticket { title } } }',
    );
    await new Promise((r) => setTimeout(r, 500));
    const first = mail(
      { From: 'Ada <ada@batch.test>', Subject: 'Batch: plotter offline', 'Message-ID': '<b-1@batch.test>' },
      'The plotter is offline.',
    );
    const outcomes = await stack.runtime.services.mailIngest.ingestBatch(addressId, [
      { raw: first, cursor: null },
      { raw: first, cursor: null },
      {
        raw: mail(
          {
            From: 'ada@batch.test',
            Subject: 'Re: Batch: plotter offline',
            'Message-ID': '<b-2@batch.test>',
            'In-Reply-To': '<b-1@batch.test>',
          },
          'Still offline.',
        ),
        cursor: null,
      },
      {
        raw: mail(
          {
            From: 'ooo@batch.test',
            Subject: 'Out of office',
            'Auto-Submitted': 'auto-replied',
            'Message-ID': '<b-3@batch.test>',
          },
          'Away.',
        ),
        cursor: null,
      },
      {
        raw: mail(
          { From: 'Bo <bo@batch.test>', Subject: 'Batch: badge reader', 'Message-ID': '<b-4@batch.test>' },
          'My badge does not open the door.',
        ),
        cursor: null,
      },
    ]);
    expect(outcomes).toEqual(['created', 'duplicate', 'threaded', 'ignored-automatic', 'created']);

    const [plotter] = await ticketsBy('plotter');
    const [badge] = await ticketsBy('badge');
    expect(plotter!.timeline.map((e) => e.kind)).toEqual(['TICKET_CREATED', 'EMAIL_IN', 'EMAIL_IN']);
    expect(badge!.timeline.map((e) => e.kind)).toEqual(['TICKET_CREATED', 'EMAIL_IN']);
    expect(badge!.number).toBe(plotter!.number + 1);
    expect(await ticketsBy('Out of office')).toHaveLength(0);

    const em = acrossTenants(stack.runtime.orm.em);
    const receipts = await em.find(MailMessage, {
      direction: MailDirection.OUT,
      ticket: { $in: [plotter!.id, badge!.id] },
    });
    expect(receipts.map((r) => r.toAddresses[0]).sort()).toEqual(['ada@batch.test', 'bo@batch.test']);
    expect(receipts.every((r) => r.subject.includes(`#`))).toBe(true);

    const created: string[] = [];
    while (created.length < 2) {
      const next = await inbox.next(10_000);
      if (next.data?.inboxEvents.kind === 'CREATED') created.push(next.data.inboxEvents.ticket.title);
    }
    expect(created.sort()).toEqual(['Batch: badge reader', 'Batch: plotter offline']);
    inbox.dispose();
    await ws.dispose();
  });

  it('moves the cursor with the batch, so a batch fetched again records nothing twice', async () => {
    const batch = [1, 2, 3].map((n) => ({
      raw: mail(
        { From: `cursor${n}@batch.test`, Subject: `Cursor mail ${n}`, 'Message-ID': `<c-${n}@batch.test>` },
        'hello',
      ),
      cursor: { uidValidity: '777', uid: String(n) },
    }));
    const ingest = stack.runtime.services.mailIngest;
    expect(await ingest.ingestBatch(addressId, batch)).toEqual(['created', 'created', 'created']);
    expect(await ingest.ingestBatch(addressId, batch)).toEqual([
      'already-processed',
      'already-processed',
      'already-processed',
    ]);
    const address = await acrossTenants(stack.runtime.orm.em).findOneOrFail(EmailAddress, addressId);
    expect([address.uidValidity, address.lastUid]).toEqual(['777', '3']);
    expect(await ticketsBy('Cursor mail')).toHaveLength(3);
  });

  it('records consecutive batches read ahead in order: a reply in the next batch threads, the cursor ends at the last', async () => {
    const opening = mail(
      { From: 'Pia <pia@batch.test>', Subject: 'Ahead: VPN drops', 'Message-ID': '<ahead-1@batch.test>' },
      'The VPN drops every hour.',
    );
    const reply = mail(
      {
        From: 'Pia <pia@batch.test>',
        Subject: 'Re: Ahead: VPN drops',
        'Message-ID': '<ahead-2@batch.test>',
        'In-Reply-To': '<ahead-1@batch.test>',
      },
      'Still dropping.',
    );
    const other = mail(
      { From: 'Ole <ole@batch.test>', Subject: 'Ahead: printer', 'Message-ID': '<ahead-3@batch.test>' },
      'Printer offline.',
    );
    const at = (uid: number) => ({ uidValidity: '888', uid: String(uid) });
    async function* batches() {
      yield [{ raw: opening, cursor: at(1) }];
      yield [
        { raw: reply, cursor: at(2) },
        { raw: other, cursor: at(3) },
      ];
    }
    const outcomes = await stack.runtime.services.mailIngest.ingestBatches(addressId, batches());
    expect(outcomes).toEqual(['created', 'threaded', 'created']);
    const [vpn] = await ticketsBy('VPN drops');
    expect(vpn!.timeline.filter((e) => e.kind === 'EMAIL_IN')).toHaveLength(2);
    expect(await ticketsBy('Ahead printer')).toHaveLength(1);
    const address = await acrossTenants(stack.runtime.orm.em).findOneOrFail(EmailAddress, addressId);
    expect([address.uidValidity, address.lastUid]).toEqual(['888', '3']);
  });

  it('keeps a mail the database refuses HELD with the error, and records the rest of its batch', async () => {
    const connection = stack.runtime.orm.em.fork().getConnection();
    await connection.execute(`create or replace function refuse_poison() returns trigger language plpgsql as $$
      begin
        if new.subject like '%POISON%' and new.status = 'RECEIVED' then raise exception 'poisoned mail refused by a test trigger'; end if;
        return new;
      end $$`);
    await connection.execute(
      'create trigger refuse_poison before insert on mail_messages for each row execute function refuse_poison()',
    );
    try {
      const outcomes = await stack.runtime.services.mailIngest.ingestBatch(
        addressId,
        ['Poison neighbour one', 'POISON pill', 'Poison neighbour two'].map((subject, i) => ({
          raw: mail({ From: `p${i}@batch.test`, Subject: subject, 'Message-ID': `<p-${i}@batch.test>` }, 'text'),
          cursor: { uidValidity: '777', uid: String(10 + i) },
        })),
      );
      expect(outcomes).toEqual(['created', 'held', 'created']);
    } finally {
      await connection.execute('drop trigger refuse_poison on mail_messages');
    }
    const held = await acrossTenants(stack.runtime.orm.em).findOneOrFail(MailMessage, {
      messageId: '<p-1@batch.test>',
    });
    expect(held.status).toBe(MailStatus.HELD);
    expect(held.lastError).toContain('poisoned mail refused');
    const address = await acrossTenants(stack.runtime.orm.em).findOneOrFail(EmailAddress, addressId);
    expect(address.lastUid).toBe('12');
    expect(await ticketsBy('neighbour')).toHaveLength(2);

    // Once the cause is gone, a manager releases it and it becomes the ticket it should have been.
    const manager = await stack.login('manager@demo.test');
    const { releaseHeldMail } = await manager.data<{ releaseHeldMail: { status: string; ticketId: string } }>(
      'mutation($id: ID!) { releaseHeldMail(id: $id) { status ticketId } }',
      { id: held.id },
    );
    expect(releaseHeldMail.status).toBe('RECEIVED');
    expect(await ticketsBy('pill')).toHaveLength(1);
  });

  it("starts the SLA clocks of a batch's new tickets each under its own policy, as for tickets made in the app", async () => {
    const manager = await stack.login('manager@demo.test');
    const { createSlaPolicy } = await manager.data<{ createSlaPolicy: { id: string } }>(
      `mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id } }`,
      {
        input: {
          name: 'Acme by mail',
          targets: [{ urgency: 'MEDIUM', importance: 'MEDIUM', firstResponseMinutes: 25, resolutionMinutes: 500 }],
        },
      },
    );
    const { slaCompanies } = await manager.data<{ slaCompanies: Array<{ company: { id: string; name: string } }> }>(
      '{ slaCompanies { company { id name } } }',
    );
    const acme = slaCompanies.find((c) => c.company.name === 'Acme Corporation')!;
    await manager.data(
      'mutation($c: ID!, $p: ID) { setCompanySlaPolicy(companyId: $c, policyId: $p) { company { id } } }',
      {
        c: acme.company.id,
        p: createSlaPolicy.id,
      },
    );
    const batch = [
      mail(
        { From: 'Lin <lin@batch.test>', Subject: 'Batch: SLA for mail', 'Message-ID': '<sla-1@batch.test>' },
        'Our scanner jams.',
      ),
      mail(
        { From: 'Buyer <buyer@acme.test>', Subject: 'Batch: Acme SLA', 'Message-ID': '<sla-2@batch.test>' },
        'Invoice missing.',
      ),
    ];
    expect(
      await stack.runtime.services.mailIngest.ingestBatch(
        addressId,
        batch.map((raw) => ({ raw, cursor: null })),
      ),
    ).toEqual(['created', 'created']);
    const slaOf = async (query: string) => {
      const [ticket] = await ticketsBy(query);
      const { ticket: view } = await agent.data<{
        ticket: {
          createdAt: string;
          sla: { state: string; firstResponseDueAt: string | null; resolutionDueAt: string | null; policyName: string };
        };
      }>(
        `query($id: ID!) { ticket(id: $id) { createdAt sla { state firstResponseDueAt resolutionDueAt policyName } } }`,
        {
          id: ticket!.id,
        },
      );
      return view;
    };
    // The seeded default policy applies to mail exactly as to tickets made in the app …
    const plain = await slaOf('SLA for mail');
    expect(plain.sla.state).toBe('OK');
    expect(plain.sla.policyName).not.toBe('Acme by mail');
    expect(plain.sla.firstResponseDueAt).toBeTruthy();
    expect(plain.sla.resolutionDueAt).toBeTruthy();
    // … and a sender's company's own policy to its ticket in the same batch.
    const acmeTicket = await slaOf('Acme SLA');
    expect(acmeTicket.sla.policyName).toBe('Acme by mail');
    expect(new Date(acmeTicket.sla.firstResponseDueAt!).getTime()).toBe(
      new Date(acmeTicket.createdAt).getTime() + 25 * 60_000,
    );
    await manager.data('mutation($c: ID!) { setCompanySlaPolicy(companyId: $c, policyId: null) { company { id } } }', {
      c: acme.company.id,
    });
  });
});
