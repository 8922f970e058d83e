import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';

let stack: TestStack;
let admin: GraphQLTestClient;
let agent1: GraphQLTestClient;
let agent2: GraphQLTestClient;
let customer: GraphQLTestClient;
let ids: Record<string, string>;

interface TicketRow {
  id: string;
  number: number;
  status: string;
  title: string;
  assignee: { email: string } | null;
  requester: { email: string } | null;
  tags: string[];
}

const TICKET_FIELDS = 'id number status title tags assignee { email } requester { email }';

beforeAll(async () => {
  stack = await startTestStack();
  [admin, agent1, agent2, customer] = await Promise.all([
    stack.login('admin@demo.test'),
    stack.login('agent1@demo.test'),
    stack.login('agent2@demo.test'),
    stack.login('customer@demo.test'),
  ]);
  const { agents } = await admin.data<{ agents: Array<{ id: string; email: string }> }>('{ agents { id email } }');
  ids = Object.fromEntries(agents.map((a) => [a.email, a.id]));
});
afterAll(async () => {
  await stack?.close();
});

async function createTicket(client: GraphQLTestClient, input: Record<string, unknown>): Promise<TicketRow> {
  const { createTicket } = await client.data<{ createTicket: TicketRow }>(
    `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET_FIELDS} } }`,
    { input: { description: 'Details', ...input } },
  );
  return createTicket;
}

async function timelineKinds(client: GraphQLTestClient, ticketId: string): Promise<string[]> {
  const { ticket } = await client.data<{ ticket: { timeline: Array<{ kind: string }> } }>(
    'query($id: ID!) { ticket(id: $id) { timeline { kind } } }',
    { id: ticketId },
  );
  return ticket.timeline.map((e) => e.kind);
}

describe('creating tickets', () => {
  it('numbers tickets per tenant without gaps or duplicates, even when created at once', async () => {
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => createTicket(agent1, { title: `Parallel ${i}` })),
    );
    const numbers = created.map((t) => t.number).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(12);
    expect(numbers.at(-1)! - numbers[0]!).toBe(11);
    const other = await stack.login('admin@other.test');
    expect((await createTicket(other, { title: 'First of Other Co' })).number).toBe(1);
  });

  it('creates an unknown requester as a customer matched to a company by domain', async () => {
    const ticket = await createTicket(agent1, { title: 'Printer on fire', requesterEmail: 'Pat@ACME.test' });
    expect(ticket.requester?.email).toBe('pat@acme.test');
    const { ticket: loaded } = await agent1.data<{ ticket: { company: { name: string } } }>(
      'query($id: ID!) { ticket(id: $id) { company { name } } }',
      { id: ticket.id },
    );
    expect(loaded.company.name).toBe('Acme Corporation');
  });

  it('rejects an empty title and a foreign assignee with BAD_USER_INPUT and creates nothing', async () => {
    const before = (await agent1.data<{ tickets: { totalCount: number } }>('{ tickets { totalCount } }')).tickets;
    const empty = await agent1.request('mutation { createTicket(input: { title: "  ", description: "x" }) { id } }');
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const otherAdmin = await stack.login('admin@other.test');
    const { me } = await otherAdmin.data<{ me: { id: string } }>('{ me { id } }');
    const foreign = await agent1.request(
      'mutation($a: ID!) { createTicket(input: { title: "x", description: "x", assigneeId: $a }) { id } }',
      { a: me.id },
    );
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const after = (await agent1.data<{ tickets: { totalCount: number } }>('{ tickets { totalCount } }')).tickets;
    expect(after.totalCount).toBe(before.totalCount);
  });

  it('makes the customer the requester of their own ticket', async () => {
    const ticket = await createTicket(customer, { title: 'My login fails' });
    expect(ticket.requester?.email).toBe('customer@demo.test');
    expect(ticket.status).toBe('NEW');
  });
});

describe('status lifecycle', () => {
  it('records each change on the timeline and refuses invalid transitions without changing anything', async () => {
    const ticket = await createTicket(agent1, { title: 'Lifecycle' });
    const update = (status: string) =>
      agent1.request(
        'mutation($id: ID!, $s: TicketStatus!) { updateTicket(input: { ticketId: $id, status: $s }) { status } }',
        {
          id: ticket.id,
          s: status,
        },
      );
    expect((await update('RESOLVED')).data).toEqual({ updateTicket: { status: 'RESOLVED' } });
    const invalid = await update('PENDING_CUSTOMER');
    expect(invalid.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(invalid.errors?.[0]?.message).toMatch(/RESOLVED ticket cannot become PENDING_CUSTOMER/);
    expect((await update('CLOSED')).data).toEqual({ updateTicket: { status: 'CLOSED' } });
    expect(await timelineKinds(agent1, ticket.id)).toEqual(['TICKET_CREATED', 'STATUS_CHANGED', 'STATUS_CHANGED']);
  });

  it('reopens a resolved ticket when the customer replies', async () => {
    const ticket = await createTicket(customer, { title: 'Reopen me' });
    await agent1.data('mutation($id: ID!) { updateTicket(input: { ticketId: $id, status: RESOLVED }) { id } }', {
      id: ticket.id,
    });
    await customer.data(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "Still broken", internal: false }) { id } }',
      {
        id: ticket.id,
      },
    );
    const { ticket: after } = await agent1.data<{ ticket: { status: string } }>(
      'query($id: ID!) { ticket(id: $id) { status } }',
      {
        id: ticket.id,
      },
    );
    expect(after.status).toBe('OPEN');
  });

  it('does not let customers change tickets', async () => {
    const ticket = await createTicket(customer, { title: 'Mine' });
    const res = await customer.request(
      'mutation($id: ID!) { updateTicket(input: { ticketId: $id, status: CLOSED }) { id } }',
      {
        id: ticket.id,
      },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('visibility', () => {
  it('hides internal notes from customers and other customers’ tickets entirely', async () => {
    const ticket = await createTicket(customer, { title: 'Visibility' });
    await agent1.data(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "secret plan", internal: true }) { id } }',
      {
        id: ticket.id,
      },
    );
    await agent1.data(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "public answer", internal: false }) { id } }',
      {
        id: ticket.id,
      },
    );
    const { ticket: seen } = await customer.data<{ ticket: { timeline: Array<{ kind: string; body: string }> } }>(
      'query($id: ID!) { ticket(id: $id) { timeline { kind body } } }',
      { id: ticket.id },
    );
    expect(seen.timeline.map((e) => e.body)).toContain('public answer');
    expect(JSON.stringify(seen.timeline)).not.toContain('secret plan');
    expect(seen.timeline.every((e) => e.kind !== 'NOTE')).toBe(true);

    const internalOnly = await createTicket(agent1, { title: 'Not the customer’s' });
    expect(
      (await customer.data('query($id: ID!) { ticket(id: $id) { id } }', { id: internalOnly.id })).ticket,
    ).toBeNull();
    const { tickets } = await customer.data<{ tickets: { nodes: TicketRow[] } }>(
      `{ tickets(first: 100) { nodes { ${TICKET_FIELDS} } } }`,
    );
    expect(tickets.nodes.every((t) => t.requester?.email === 'customer@demo.test')).toBe(true);
    const note = await customer.request(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "x", internal: true }) { id } }',
      {
        id: ticket.id,
      },
    );
    expect(note.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps internal bookkeeping (assignment, tags, priority) and mail settings away from customers', async () => {
    const ticket = await createTicket(customer, { title: 'Bookkeeping' });
    await agent1.data(
      'mutation($id: ID!, $a: ID) { updateTicket(input: { ticketId: $id, assigneeId: $a, tags: ["vip"], urgency: HIGH }) { id } }',
      { id: ticket.id, a: ids['agent1@demo.test'] },
    );
    const kinds = async (client: GraphQLTestClient) =>
      (
        await client.data<{ ticket: { emailAddress: unknown; timeline: Array<{ kind: string }> } }>(
          'query($id: ID!) { ticket(id: $id) { emailAddress { id } timeline { kind } } }',
          { id: ticket.id },
        )
      ).ticket;
    const seenByAgent = await kinds(agent1);
    expect(seenByAgent.timeline.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['ASSIGNED', 'TAGS_CHANGED', 'PRIORITY_CHANGED', 'STATUS_CHANGED']),
    );
    const seenByCustomer = await kinds(customer);
    expect(seenByCustomer.timeline.map((e) => e.kind)).toEqual(['TICKET_CREATED', 'STATUS_CHANGED']);
    expect(seenByCustomer.emailAddress).toBeNull();
  });

  it('answers null for a malformed id instead of an error', async () => {
    expect((await agent1.data('{ ticket(id: "not-a-uuid") { id } }')).ticket).toBeNull();
  });
});

describe('assignment', () => {
  it('rotates a round-robin team and gives least-loaded teams to the member with fewest open tickets', async () => {
    const save = (name: string, mode: string) =>
      admin.data<{ saveTeam: { id: string } }>(
        'mutation($n: String!, $m: AssignmentMode!, $ids: [ID!]!) { saveTeam(input: { name: $n, assignmentMode: $m, memberIds: $ids }) { id } }',
        { n: name, m: mode, ids: [ids['agent1@demo.test'], ids['agent2@demo.test']] },
      );
    const rr = (await save('Rotation', 'ROUND_ROBIN')).saveTeam.id;
    const assignees: string[] = [];
    for (let i = 0; i < 4; i++)
      assignees.push((await createTicket(agent1, { title: `RR ${i}`, teamId: rr })).assignee!.email);
    expect(assignees[0]).not.toBe(assignees[1]);
    expect(assignees[0]).toBe(assignees[2]);
    expect(assignees[1]).toBe(assignees[3]);

    const ll = (await save('Least', 'LEAST_LOADED')).saveTeam.id;
    // Give agent2 a pile of work; the least-loaded team must then pick agent1.
    for (let i = 0; i < 8; i++) await createTicket(agent1, { title: `load ${i}`, assigneeId: ids['agent2@demo.test'] });
    const picked = await createTicket(agent1, { title: 'LL', teamId: ll });
    expect(picked.assignee?.email).toBe('agent1@demo.test');
    expect(picked.status).toBe('OPEN');
  });

  it('self-assigns and unassigns with ASSIGNED events and notifies the new assignee', async () => {
    const ticket = await createTicket(agent1, { title: 'Assign me' });
    await agent1.data('mutation($id: ID!, $a: ID) { updateTicket(input: { ticketId: $id, assigneeId: $a }) { id } }', {
      id: ticket.id,
      a: ids['agent2@demo.test'],
    });
    const { notifications } = await agent2.data<{ notifications: Array<{ kind: string; ticket: { id: string } }> }>(
      '{ notifications(unreadOnly: true) { kind ticket { id } } }',
    );
    expect(notifications.some((n) => n.kind === 'ASSIGNED' && n.ticket.id === ticket.id)).toBe(true);
    await agent1.data('mutation($id: ID!) { updateTicket(input: { ticketId: $id, assigneeId: null }) { id } }', {
      id: ticket.id,
    });
    const kinds = await timelineKinds(agent1, ticket.id);
    expect(kinds.filter((k) => k === 'ASSIGNED')).toHaveLength(2);
  });
});

describe('watchers', () => {
  it('lets agents watch a ticket, records it, and tells watchers about new messages', async () => {
    const ticket = await createTicket(customer, { title: 'Watch me' });
    const { watchTicket } = await agent2.data<{
      watchTicket: { isWatching: boolean; watchers: Array<{ email: string }> };
    }>('mutation($t: ID!) { watchTicket(ticketId: $t, watching: true) { isWatching watchers { email } } }', {
      t: ticket.id,
    });
    expect(watchTicket).toEqual({ isWatching: true, watchers: [{ email: 'agent2@demo.test' }] });
    await customer.data(
      'mutation($t: ID!) { addComment(input: { ticketId: $t, body: "any news?", internal: false }) { id } }',
      {
        t: ticket.id,
      },
    );
    const { notifications } = await agent2.data<{ notifications: Array<{ kind: string; ticket: { id: string } }> }>(
      '{ notifications(unreadOnly: true) { kind ticket { id } } }',
    );
    expect(notifications.some((n) => n.kind === 'WATCHED_COMMENT' && n.ticket.id === ticket.id)).toBe(true);
    expect(await timelineKinds(agent1, ticket.id)).toContain('WATCHERS_CHANGED');
    const refused = await customer.request('mutation($t: ID!) { watchTicket(ticketId: $t, watching: true) { id } }', {
      t: ticket.id,
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('comments', () => {
  it('keeps the history of an edited comment, and admins restore deleted ones', async () => {
    const ticket = await createTicket(agent1, { title: 'Edit history' });
    const { addComment } = await agent1.data<{ addComment: { id: string } }>(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "first text", internal: false }) { id } }',
      { id: ticket.id },
    );
    await agent1.data('mutation($e: ID!) { editComment(eventId: $e, body: "second text") { id } }', {
      e: addComment.id,
    });
    const other = await agent2.request('mutation($e: ID!) { editComment(eventId: $e, body: "hijack") { id } }', {
      e: addComment.id,
    });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await agent1.data('mutation($e: ID!) { deleteComment(eventId: $e) { id } }', { e: addComment.id });
    const restoreByAgent = await agent1.request('mutation($e: ID!) { restoreComment(eventId: $e) { id } }', {
      e: addComment.id,
    });
    expect(restoreByAgent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { restoreComment } = await admin.data<{
      restoreComment: { body: string; editedAt: string | null; revisions: Array<{ body: string }> };
    }>('mutation($e: ID!) { restoreComment(eventId: $e) { body editedAt revisions { body } } }', { e: addComment.id });
    expect(restoreComment.body).toBe('second text');
    expect(restoreComment.editedAt).not.toBeNull();
    expect(restoreComment.revisions.map((r) => r.body)).toEqual(['first text']);
    expect(await timelineKinds(agent1, ticket.id)).toEqual([
      'TICKET_CREATED',
      'COMMENT',
      'STATUS_CHANGED',
      'COMMENT_EDITED',
      'COMMENT_DELETED',
      'COMMENT_RESTORED',
    ]);
  });

  it('records the first response time on the first public agent reply only', async () => {
    const ticket = await createTicket(customer, { title: 'First response' });
    await agent1.data(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "note", internal: true }) { id } }',
      { id: ticket.id },
    );
    const q = 'query($id: ID!) { ticket(id: $id) { firstResponseAt status } }';
    expect(
      (await agent1.data<{ ticket: { firstResponseAt: string | null } }>(q, { id: ticket.id })).ticket.firstResponseAt,
    ).toBeNull();
    await agent1.data(
      'mutation($id: ID!) { addComment(input: { ticketId: $id, body: "hello", internal: false }) { id } }',
      { id: ticket.id },
    );
    const after = (
      await agent1.data<{ ticket: { firstResponseAt: string | null; status: string } }>(q, { id: ticket.id })
    ).ticket;
    expect(after.firstResponseAt).not.toBeNull();
    expect(after.status).toBe('OPEN');
  });

  it('notifies mentioned agents and shows customers the mention as a plain name', async () => {
    const ticket = await createTicket(customer, { title: 'Mentions' });
    const body = `@[Sam Agent](user:${ids['agent2@demo.test']}) could you take a look?`;
    await agent1.data(
      'mutation($id: ID!, $b: String!) { addComment(input: { ticketId: $id, body: $b, internal: false }) { id } }',
      {
        id: ticket.id,
        b: body,
      },
    );
    const { notifications } = await agent2.data<{ notifications: Array<{ kind: string; title: string }> }>(
      '{ notifications(unreadOnly: true) { kind title } }',
    );
    expect(notifications.some((n) => n.kind === 'MENTION' && n.title.includes('Mentions'))).toBe(true);
    const { ticket: seen } = await customer.data<{ ticket: { timeline: Array<{ body: string | null }> } }>(
      'query($id: ID!) { ticket(id: $id) { timeline { body } } }',
      { id: ticket.id },
    );
    expect(seen.timeline.map((e) => e.body)).toContain('@Sam Agent could you take a look?');
  });
});

describe('inbox list', () => {
  it('filters by status, tag, assignee and words, and pages without overlap', async () => {
    const tag = `batch-${Date.now()}`;
    for (let i = 0; i < 7; i++) {
      await createTicket(agent1, {
        title: `Pagination ${i} zebracorn`,
        tags: [tag],
        assigneeId: ids['agent1@demo.test'],
      });
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page++) {
      const {
        tickets,
      }: {
        tickets: {
          nodes: TicketRow[];
          totalCount: number;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      } = await agent1.data(
        'query($f: TicketFilter, $after: String) { tickets(filter: $f, first: 3, after: $after) { totalCount nodes { id } pageInfo { endCursor hasNextPage } } }',
        { f: { tags: [tag], status: ['OPEN'], assigneeIds: [ids['agent1@demo.test']] }, after },
      );
      expect(tickets.totalCount).toBe(7);
      seen.push(...tickets.nodes.map((n) => n.id));
      if (!tickets.pageInfo.hasNextPage) break;
      after = tickets.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    const words = await agent1.data<{ tickets: { totalCount: number } }>(
      '{ tickets(filter: { query: "zebracorn" }) { totalCount } }',
    );
    expect(words.tickets.totalCount).toBe(7);
  });

  it('finds a ticket by its number', async () => {
    const ticket = await createTicket(agent1, { title: 'By number' });
    const { tickets } = await agent1.data<{ tickets: { nodes: TicketRow[] } }>(
      'query($q: String!) { tickets(filter: { query: $q }) { nodes { id } } }',
      { q: `#${ticket.number}` },
    );
    expect(tickets.nodes.map((t) => t.id)).toContain(ticket.id);
  });

  it('rejects a forged cursor with BAD_USER_INPUT', async () => {
    const res = await agent1.request('{ tickets(after: "garbage!!") { totalCount } }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('demo data', () => {
  it('has sample tickets with real timelines', async () => {
    const { tickets } = await agent1.data<{ tickets: { nodes: Array<{ title: string }> } }>(
      '{ tickets(first: 100, sort: OLDEST) { nodes { title } } }',
    );
    expect(tickets.nodes[0]?.title).toBe('Checkout page shows a blank screen');
  });
});
