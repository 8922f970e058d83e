import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import { subscribe, type GraphQLTestClient } from '../../../../tests/support/graphql-client.js';

let stack: TestStack;
let agent1: GraphQLTestClient;
let agent2: GraphQLTestClient;
let customer: GraphQLTestClient;
let ticketId: string;

beforeAll(async () => {
  stack = await startTestStack();
  [agent1, agent2, customer] = await Promise.all([
    stack.login('agent1@demo.test'),
    stack.login('agent2@demo.test'),
    stack.login('customer@demo.test'),
  ]);
  const { createTicket } = await customer.data<{ createTicket: { id: string } }>(
    'mutation { createTicket(input: { title: "Presence", description: "d" }) { id } }',
  );
  ticketId = createTicket.id;
});
afterAll(async () => {
  await stack?.close();
});

type State = { ticketPresence: { viewers: Array<{ typing: boolean; user: { email: string } }> } };
const PRESENCE = 'subscription($t: ID!) { ticketPresence(ticketId: $t) { viewers { typing user { email } } } }';
const report = (client: GraphQLTestClient, connectionId: string, typing: boolean) =>
  client.data(
    'mutation($t: ID!, $c: String!, $y: Boolean!) { reportPresence(ticketId: $t, connectionId: $c, typing: $y) }',
    {
      t: ticketId,
      c: connectionId,
      y: typing,
    },
  );

describe('ticketPresence', () => {
  it('shows who views and who types, and drops a viewer who leaves', async () => {
    const ws = agent1.ws();
    const sub = subscribe<State>(ws, PRESENCE, { t: ticketId });
    expect((await sub.next()).data?.ticketPresence.viewers).toEqual([]);
    await report(agent2, 'tab-agent2-aaaa', false);
    expect((await sub.next()).data?.ticketPresence.viewers).toEqual([
      { typing: false, user: { email: 'agent2@demo.test' } },
    ]);
    await report(agent2, 'tab-agent2-aaaa', false); // a heartbeat that changes nothing is not announced
    await report(agent2, 'tab-agent2-aaaa', true);
    expect((await sub.next()).data?.ticketPresence.viewers).toEqual([
      { typing: true, user: { email: 'agent2@demo.test' } },
    ]);
    await agent2.data('mutation($t: ID!) { leaveTicket(ticketId: $t, connectionId: "tab-agent2-aaaa") }', {
      t: ticketId,
    });
    expect((await sub.next()).data?.ticketPresence.viewers).toEqual([]);
    expect(sub.received).toHaveLength(4);
    sub.dispose();
    await ws.dispose();
  });

  it('expires a tab that stops heartbeating', async () => {
    await report(agent2, 'tab-agent2-bbbb', false);
    await stack.runtime.orm.em
      .fork()
      .getConnection()
      .execute(
        `update ticket_presence set expires_at = now() - interval '1 second' where connection_id = 'tab-agent2-bbbb'`,
      );
    expect(await stack.runtime.services.presence.sweepExpired()).toBe(1);
    const ws = agent1.ws();
    const sub = subscribe<State>(ws, PRESENCE, { t: ticketId });
    expect((await sub.next()).data?.ticketPresence.viewers).toEqual([]);
    sub.dispose();
    await ws.dispose();
  });

  it('is for agents only', async () => {
    const res = await customer.request(
      'mutation($t: ID!) { reportPresence(ticketId: $t, connectionId: "tab-customer-1", typing: true) }',
      { t: ticketId },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
