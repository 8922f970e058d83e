// Held mail review: mail over the per-sender rate limit waits for an admin or manager, who releases
// it (a ticket, as ingestion would have made it) or discards it (kept in the log, no ticket).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { acrossTenants } from '../../db/tenant-scope.js';
import { MailDirection, MailMessage } from './mail-message.entity.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let manager: GraphQLTestClient;
let addressId: string;

interface HeldView {
  id: string;
  subject: string;
  fromAddress: string;
  preview: string;
  status: string;
  ticketId: string | null;
  receivedAt: { address: string } | null;
}
const HELD = 'id subject fromAddress preview status ticketId receivedAt { address }';

function mail(n: number, subject: string): Buffer {
  return Buffer.from(
    `From: Flo <flood@held.test>\r\nSubject: ${subject}\r\nMessage-ID: <h-${n}@held.test>\r\nContent-Type: text/plain\r\n\r\nBody of ${subject}.\r\n`,
  );
}

async function held(): Promise<HeldView[]> {
  return (await manager.data<{ heldMails: HeldView[] }>(`{ heldMails { ${HELD} } }`)).heldMails;
}

beforeAll(async () => {
  stack = await startTestStack({ env: { MAIL_SENDER_TICKETS_PER_HOUR: 1 } });
  const admin = await stack.login('admin@demo.test');
  manager = await stack.login('manager@demo.test');
  addressId = await createSupportAddress(admin, { displayName: 'Held desk', address: 'held-desk@demo.test' });
  const ingest = stack.runtime.services.mailIngest;
  expect(await ingest.ingest(addressId, mail(1, 'Held: first request'), null)).toBe('created');
  expect(await ingest.ingest(addressId, mail(2, 'Held: second request'), null)).toBe('held');
  expect(await ingest.ingest(addressId, mail(3, 'Held: spam wave'), null)).toBe('held');
});

afterAll(async () => {
  await stack?.close();
});

describe('held mail', () => {
  it('is listed for admins and managers, with a preview and the address that received it', async () => {
    const list = await held();
    expect(list.map((m) => m.subject).sort()).toEqual(['Held: second request', 'Held: spam wave']);
    expect(list[0]).toMatchObject({
      fromAddress: 'flood@held.test',
      status: 'HELD',
      ticketId: null,
      receivedAt: { address: 'held-desk@demo.test' },
    });
    expect(list.find((m) => m.subject === 'Held: spam wave')?.preview).toBe('Body of Held: spam wave.');
  });

  it('is not for agents or customers', async () => {
    for (const email of ['agent1@demo.test', 'customer@demo.test']) {
      const client = await stack.login(email);
      const refused = await client.request('{ heldMails { id } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('becomes a ticket with a receipt when released, once', async () => {
    const target = (await held()).find((m) => m.subject === 'Held: second request')!;
    const { releaseHeldMail } = await manager.data<{ releaseHeldMail: HeldView }>(
      `mutation($id: ID!) { releaseHeldMail(id: $id) { ${HELD} } }`,
      { id: target.id },
    );
    expect(releaseHeldMail.status).toBe('RECEIVED');
    expect(releaseHeldMail.ticketId).toBeTruthy();
    const { ticket } = await manager.data<{ ticket: { title: string; timeline: Array<{ kind: string }> } }>(
      `query($id: ID!) { ticket(id: $id) { title timeline { kind } } }`,
      { id: releaseHeldMail.ticketId },
    );
    expect(ticket.title).toBe('Held: second request');
    expect(ticket.timeline.map((e) => e.kind)).toEqual(['TICKET_CREATED', 'EMAIL_IN']);
    const receipts = await acrossTenants(stack.runtime.orm.em).count(MailMessage, {
      direction: MailDirection.OUT,
      ticket: releaseHeldMail.ticketId,
    });
    expect(receipts).toBe(1);
    const again = await manager.request(`mutation($id: ID!) { releaseHeldMail(id: $id) { id } }`, { id: target.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('stays in the mail log without a ticket when discarded', async () => {
    const target = (await held()).find((m) => m.subject === 'Held: spam wave')!;
    const { discardHeldMail } = await manager.data<{ discardHeldMail: HeldView }>(
      `mutation($id: ID!) { discardHeldMail(id: $id) { ${HELD} } }`,
      { id: target.id },
    );
    expect(discardHeldMail).toMatchObject({ status: 'DISCARDED', ticketId: null });
    expect(await held()).toEqual([]);
    const { tickets } = await manager.data<{ tickets: { nodes: unknown[] } }>(
      `{ tickets(filter: { query: "spam wave" }) { nodes { id } } }`,
    );
    expect(tickets.nodes).toEqual([]);
  });
});
