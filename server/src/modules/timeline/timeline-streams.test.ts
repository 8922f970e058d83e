import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import { subscribe, type GraphQLTestClient } from '../../../../tests/support/graphql-client.js';

let stack: TestStack;
let agent1: GraphQLTestClient;
let agent2: GraphQLTestClient;
let customer: GraphQLTestClient;

beforeAll(async () => {
  stack = await startTestStack();
  [agent1, agent2, customer] = await Promise.all([
    stack.login('agent1@demo.test'),
    stack.login('agent2@demo.test'),
    stack.login('customer@demo.test'),
  ]);
});
afterAll(async () => {
  await stack?.close();
});

interface Event {
  id: string;
  kind: string;
  body: string | null;
  internal: boolean;
  ticketId: string;
}
const EVENTS =
  'subscription($t: ID!, $after: ID) { ticketEvents(ticketId: $t, after: $after) { id kind body internal ticketId } }';

async function newTicket(client: GraphQLTestClient, title: string): Promise<string> {
  const { createTicket } = await client.data<{ createTicket: { id: string } }>(
    'mutation($t: String!) { createTicket(input: { title: $t, description: "d" }) { id } }',
    { t: title },
  );
  return createTicket.id;
}

function comment(client: GraphQLTestClient, ticketId: string, body: string, internal = false) {
  return client.data<{ addComment: { id: string } }>(
    'mutation($t: ID!, $b: String!, $i: Boolean!) { addComment(input: { ticketId: $t, body: $b, internal: $i }) { id } }',
    { t: ticketId, b: body, i: internal },
  );
}

const settle = () => new Promise((r) => setTimeout(r, 400));

describe('ticketEvents', () => {
  it('delivers another agent’s comment and status change live', async () => {
    const ticketId = await newTicket(agent1, 'Live');
    const ws = agent2.ws();
    const sub = subscribe<{ ticketEvents: Event }>(ws, EVENTS, { t: ticketId });
    await settle();
    await comment(agent1, ticketId, 'hello from agent 1');
    const first = await sub.next();
    expect(first.data?.ticketEvents).toMatchObject({ kind: 'COMMENT', body: 'hello from agent 1', ticketId });
    await agent1.data('mutation($t: ID!) { updateTicket(input: { ticketId: $t, status: ON_HOLD }) { id } }', {
      t: ticketId,
    });
    expect((await sub.next()).data?.ticketEvents.kind).toBe('STATUS_CHANGED');
    sub.dispose();
    await ws.dispose();
  });

  it('never sends internal notes or internal events to a customer', async () => {
    const ticketId = await newTicket(customer, 'Customer watching');
    const ws = customer.ws();
    const sub = subscribe<{ ticketEvents: Event }>(ws, EVENTS, { t: ticketId });
    await settle();
    await comment(agent1, ticketId, 'internal only', true);
    await comment(agent1, ticketId, 'public reply');
    const next = await sub.next();
    expect(next.data?.ticketEvents).toMatchObject({ kind: 'COMMENT', body: 'public reply', internal: false });
    await settle();
    expect(JSON.stringify(sub.received)).not.toContain('internal only');
    sub.dispose();
    await ws.dispose();
  });

  it('refuses a ticket the caller cannot see', async () => {
    const ticketId = await newTicket(agent1, 'Not yours');
    const ws = customer.ws();
    const sub = subscribe<{ ticketEvents: Event }>(ws, EVENTS, { t: ticketId });
    const result = await sub.next();
    expect(JSON.stringify(result.errors)).toMatch(/NOT_FOUND|No such ticket/);
    await ws.dispose();
  });

  it('resumes with `after` without losing or repeating an event while others keep writing', async () => {
    const ticketId = await newTicket(agent1, 'Resume');
    const written: string[] = [];
    for (let i = 0; i < 5; i++) written.push((await comment(agent1, ticketId, `before ${i}`)).addComment.id);
    const resumeFrom = written[1]!;
    // Keep writing while the subscriber connects and replays.
    const writer = (async () => {
      for (let i = 0; i < 15; i++) written.push((await comment(agent2, ticketId, `during ${i}`)).addComment.id);
    })();
    const ws = agent1.ws();
    const sub = subscribe<{ ticketEvents: Event }>(ws, EVENTS, { t: ticketId, after: resumeFrom });
    await writer;
    const expected = written.slice(2);
    const got: string[] = [];
    while (got.length < expected.length) {
      const next = await sub.next();
      got.push(next.data!.ticketEvents.id);
    }
    await settle();
    expect(sub.received.length).toBe(expected.length);
    expect(got).toEqual(expected);
    sub.dispose();
    await ws.dispose();
  });
});

describe('inboxEvents', () => {
  it('tells agents about new and changed tickets, and customers only about theirs', async () => {
    const agentWs = agent2.ws();
    const customerWs = customer.ws();
    const INBOX = 'subscription { inboxEvents { kind ticket { id title status } } }';
    const agentSub = subscribe<{ inboxEvents: { kind: string; ticket: { id: string; title: string } } }>(
      agentWs,
      INBOX,
    );
    const customerSub = subscribe<{ inboxEvents: { kind: string; ticket: { id: string; title: string } } }>(
      customerWs,
      INBOX,
    );
    await settle();
    const staffOnly = await newTicket(agent1, 'Inbox staff-only');
    const created = await agentSub.next();
    expect(created.data?.inboxEvents).toMatchObject({
      kind: 'CREATED',
      ticket: { id: staffOnly, title: 'Inbox staff-only' },
    });
    const customersOwn = await newTicket(customer, 'Inbox customer');
    expect((await customerSub.next()).data?.inboxEvents.ticket.id).toBe(customersOwn);
    await settle();
    expect(JSON.stringify(customerSub.received)).not.toContain(staffOnly);
    agentSub.dispose();
    customerSub.dispose();
    await agentWs.dispose();
    await customerWs.dispose();
  });
});

describe('notificationEvents', () => {
  it('rings the mentioned agent’s bell live', async () => {
    const { agents } = await agent1.data<{ agents: Array<{ id: string; email: string }> }>('{ agents { id email } }');
    const sam = agents.find((a) => a.email === 'agent2@demo.test')!;
    const ws = agent2.ws();
    const sub = subscribe<{ notificationEvents: { kind: string; title: string } }>(
      ws,
      'subscription { notificationEvents { kind title } }',
    );
    await settle();
    const ticketId = await newTicket(agent1, 'Bell');
    await comment(agent1, ticketId, `@[Sam Agent](user:${sam.id}) please look`, true);
    expect((await sub.next()).data?.notificationEvents).toMatchObject({ kind: 'MENTION' });
    sub.dispose();
    await ws.dispose();
  });
});
