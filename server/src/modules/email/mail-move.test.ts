// Moving a mis-threaded mail: to another ticket or a new one, with entries on both timelines, the
// old entry hidden from the source's customer, and later replies following the mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let agent: GraphQLTestClient;
let addressId: string;

interface EventView {
  id: string;
  kind: string;
  internal: boolean;
  targetId: string | null;
  data: Record<string, unknown>;
}
interface TicketView {
  id: string;
  number: number;
  title: string;
  requester: { email: string } | null;
  timeline: EventView[];
}
const TICKET = 'id number title requester { email } timeline { id kind internal targetId data }';

function mail(headers: Record<string, string>, body: string): Buffer {
  const lines = Object.entries({ 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`);
}

async function ticket(client: GraphQLTestClient, id: string): Promise<TicketView> {
  const { ticket } = await client.data<{ ticket: TicketView }>(`query($id: ID!) { ticket(id: $id) { ${TICKET} } }`, {
    id,
  });
  return ticket;
}

async function ticketBySubject(query: string): Promise<TicketView> {
  const { tickets } = await agent.data<{ tickets: { nodes: TicketView[] } }>(
    `query($q: String) { tickets(filter: { query: $q }) { nodes { ${TICKET} } } }`,
    { q: query },
  );
  expect(tickets.nodes).toHaveLength(1);
  return tickets.nodes[0]!;
}

function mailIdOf(view: TicketView, from: string): string {
  const entry = view.timeline.find((e) => e.kind === 'EMAIL_IN' && e.data.from === from && !e.internal);
  expect(entry).toBeDefined();
  return entry!.data.mailId as string;
}

const MOVE = 'mutation($mailId: ID!, $ticketId: ID) { moveEmail(mailId: $mailId, ticketId: $ticketId) { id number } }';

beforeAll(async () => {
  stack = await startTestStack();
  const admin = await stack.login('admin@demo.test');
  agent = await stack.login('agent1@demo.test');
  addressId = await createSupportAddress(admin, { displayName: 'Move desk', address: 'move-desk@demo.test' });
});

afterAll(async () => {
  await stack?.close();
});

describe('moving a mis-threaded email', () => {
  let source: TicketView;
  let target: TicketView;
  let mailId: string;

  it('moves it to another ticket with an entry on both timelines', async () => {
    const ingest = stack.runtime.services.mailIngest;
    await ingest.ingest(
      addressId,
      mail(
        { From: 'customer@demo.test', Subject: 'Move: projector', 'Message-ID': '<m-1@move.test>' },
        'Projector broken.',
      ),
      null,
    );
    // Ben answered on a forwarded copy of Ann's mail: it threads to Ann's ticket, wrongly.
    expect(
      await ingest.ingest(
        addressId,
        mail(
          {
            From: 'ben@move.test',
            Subject: 'Re: Move: projector',
            'Message-ID': '<m-2@move.test>',
            'In-Reply-To': '<m-1@move.test>',
          },
          'My laptop does not charge.',
        ),
        null,
      ),
    ).toBe('threaded');
    source = await ticketBySubject('projector');
    mailId = mailIdOf(source, 'ben@move.test');
    const { createTicket } = await agent.data<{ createTicket: { id: string } }>(
      `mutation { createTicket(input: { title: "Move: laptop charger", description: "For Ben", requesterEmail: "ben@move.test" }) { id } }`,
    );

    const { moveEmail } = await agent.data<{ moveEmail: { id: string } }>(MOVE, { mailId, ticketId: createTicket.id });
    expect(moveEmail.id).toBe(createTicket.id);

    target = await ticket(agent, createTicket.id);
    const arrived = target.timeline.find((e) => e.kind === 'EMAIL_IN');
    expect(arrived?.data).toMatchObject({ from: 'ben@move.test', movedFrom: { number: source.number } });
    source = await ticket(agent, source.id);
    const moved = source.timeline.find((e) => e.kind === 'EMAIL_MOVED');
    const old = source.timeline.find((e) => e.kind === 'EMAIL_IN' && e.data.from === 'ben@move.test');
    expect(moved?.targetId).toBe(old?.id);
    expect(moved?.data).toMatchObject({ toTicketId: target.id, toNumber: target.number });
    expect(old?.internal).toBe(true);
  });

  it('hides the moved mail from the source ticket’s customer', async () => {
    const customer = await stack.login('customer@demo.test');
    const own = await ticket(customer, source.id);
    const mails = own.timeline.filter((e) => e.kind === 'EMAIL_IN').map((e) => e.data.from);
    expect(mails).toEqual(['customer@demo.test']);
    expect(own.timeline.some((e) => e.kind === 'EMAIL_MOVED')).toBe(false);
  });

  it('threads later replies to the mail to the new ticket', async () => {
    expect(
      await stack.runtime.services.mailIngest.ingest(
        addressId,
        mail(
          {
            From: 'ben@move.test',
            Subject: 'Re: Re: Move: projector',
            'Message-ID': '<m-3@move.test>',
            'In-Reply-To': '<m-2@move.test>',
            References: '<m-1@move.test> <m-2@move.test>',
          },
          'Any news about the charger?',
        ),
        null,
      ),
    ).toBe('threaded');
    const after = await ticket(agent, target.id);
    expect(after.timeline.filter((e) => e.kind === 'EMAIL_IN')).toHaveLength(2);
  });

  it('moves it to a new ticket for its sender', async () => {
    const { moveEmail } = await agent.data<{ moveEmail: { id: string; number: number } }>(MOVE, {
      mailId,
      ticketId: null,
    });
    const fresh = await ticket(agent, moveEmail.id);
    expect(fresh.requester?.email).toBe('ben@move.test');
    expect(fresh.title).toBe('Re: Move: projector');
    expect(fresh.timeline.map((e) => e.kind)).toEqual(['TICKET_CREATED', 'EMAIL_IN']);
  });

  it('is for agents only and refuses a move to the same ticket', async () => {
    const customer = await stack.login('customer@demo.test');
    const refused = await customer.request(MOVE, { mailId, ticketId: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { moveEmail } = await agent.data<{ moveEmail: { id: string } }>(MOVE, { mailId, ticketId: target.id });
    const same = await agent.request(MOVE, { mailId, ticketId: moveEmail.id });
    expect(same.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
