import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import { subscribe, type GraphQLTestClient } from '../../../../tests/support/graphql-client.js';

let stack: TestStack;
let alex: GraphQLTestClient; // agent1
let sam: GraphQLTestClient; // agent2
let morgan: GraphQLTestClient; // manager
let casey: GraphQLTestClient; // customer
let olive: GraphQLTestClient; // admin of Other Co
const ids: Record<string, string> = {};

beforeAll(async () => {
  stack = await startTestStack();
  [alex, sam, morgan, casey, olive] = await Promise.all([
    stack.login('agent1@demo.test'),
    stack.login('agent2@demo.test'),
    stack.login('manager@demo.test'),
    stack.login('customer@demo.test'),
    stack.login('admin@other.test'),
  ]);
  for (const client of [alex, sam, morgan]) {
    const { me } = await client.data<{ me: { id: string; email: string } }>('{ me { id email } }');
    ids[me.email] = me.id;
  }
});
afterAll(async () => {
  await stack?.close();
});

type Channel = { id: string; name: string; private: boolean; kind: string; joined: boolean; unreadCount: number };
const CHANNEL_FIELDS = 'id name private kind joined unreadCount';
const MESSAGE_FIELDS = 'id channelId body deleted editedAt author { email } ticketLinks { number title }';

async function createChannel(client: GraphQLTestClient, name: string, isPrivate = false, memberIds: string[] = []) {
  const { createChannel } = await client.data<{ createChannel: Channel }>(
    `mutation($input: CreateChannelInput!) { createChannel(input: $input) { ${CHANNEL_FIELDS} } }`,
    { input: { name, private: isPrivate, memberIds } },
  );
  return createChannel;
}

type Message = {
  id: string;
  channelId: string;
  body: string;
  deleted: boolean;
  editedAt: string | null;
  author: { email: string };
  ticketLinks: Array<{ number: number; title: string }>;
};

async function send(client: GraphQLTestClient, channelId: string, body: string): Promise<Message> {
  const { sendChatMessage } = await client.data<{ sendChatMessage: Message }>(
    `mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { ${MESSAGE_FIELDS} } }`,
    { input: { channelId, body } },
  );
  return sendChatMessage;
}

async function channels(client: GraphQLTestClient): Promise<Channel[]> {
  return (await client.data<{ channels: Channel[] }>(`{ channels { ${CHANNEL_FIELDS} } }`)).channels;
}

type Event = { chatEvents: { kind: string; message: Message | null; user: { email: string } | null } };
const EVENTS = `subscription($c: ID!) { chatEvents(channelId: $c) { kind user { email } message { ${MESSAGE_FIELDS} } } }`;

const code = (res: { errors?: Array<{ extensions?: { code?: string } }> }) => res.errors?.[0]?.extensions?.code;

describe('the contract', () => {
  it('creates a channel, lists it and delivers a message live to another agent', async () => {
    const channel = await createChannel(alex, 'releases');
    expect(channel).toMatchObject({ name: 'releases', private: false, kind: 'PUBLIC', joined: true });
    expect((await channels(sam)).map((c) => c.name)).toContain('releases');

    const ws = sam.ws();
    const sub = subscribe<Event>(ws, EVENTS, { c: channel.id });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server subscribes asynchronously
    const sent = await send(alex, channel.id, 'Version 2.4 goes out at noon');
    const event = await sub.next();
    expect(event.data?.chatEvents).toMatchObject({
      kind: 'MESSAGE_CREATED',
      message: {
        id: sent.id,
        channelId: channel.id,
        body: 'Version 2.4 goes out at noon',
        author: { email: 'agent1@demo.test' },
      },
    });
    sub.dispose();
    await ws.dispose();
  });

  it('refuses customers and other tenants', async () => {
    const channel = await createChannel(alex, 'no-customers');
    expect(code(await casey.request('{ channels { id } }'))).toBe('FORBIDDEN');
    expect(code(await casey.request('mutation { createChannel(input: { name: "mine" }) { id } }'))).toBe('FORBIDDEN');
    expect(
      code(
        await casey.request('mutation($c: ID!) { sendChatMessage(input: { channelId: $c, body: "hi" }) { id } }', {
          c: channel.id,
        }),
      ),
    ).toBe('FORBIDDEN');
    const ws = casey.ws();
    const sub = subscribe<Event>(ws, EVENTS, { c: channel.id });
    const refused = await sub.next();
    expect(JSON.stringify(refused.errors)).toContain('FORBIDDEN');
    await ws.dispose();

    const other = await olive.request(
      'mutation($c: ID!) { sendChatMessage(input: { channelId: $c, body: "hi" }) { id } }',
      { c: channel.id },
    );
    expect(code(other)).toBe('NOT_FOUND');
    expect((await channels(olive)).map((c) => c.name)).not.toContain('no-customers');
  });

  it('refuses bad names and duplicates with a clear message', async () => {
    await createChannel(alex, 'Billing');
    const dup = await sam.request('mutation { createChannel(input: { name: "billing" }) { id } }');
    expect(code(dup)).toBe('BAD_USER_INPUT');
    expect(dup.errors?.[0]?.message).toBe('There is already a channel called "billing"');
    expect(code(await sam.request('mutation { createChannel(input: { name: "  " }) { id } }'))).toBe('BAD_USER_INPUT');
  });
});

describe('private channels', () => {
  it('are invisible to non-members until invited, and a removed member stops receiving', async () => {
    const channel = await createChannel(alex, 'escalations', true);
    expect((await channels(sam)).map((c) => c.id)).not.toContain(channel.id);
    const denied = await sam.request(
      'mutation($c: ID!) { sendChatMessage(input: { channelId: $c, body: "let me in" }) { id } }',
      { c: channel.id },
    );
    expect(code(denied)).toBe('NOT_FOUND');
    expect(code(await sam.request('mutation($c: ID!) { joinChannel(channelId: $c) { id } }', { c: channel.id }))).toBe(
      'NOT_FOUND',
    );

    await alex.data('mutation($c: ID!, $u: [ID!]!) { inviteToChannel(channelId: $c, userIds: $u) { id } }', {
      c: channel.id,
      u: [ids['agent2@demo.test']],
    });
    expect((await channels(sam)).find((c) => c.id === channel.id)).toMatchObject({ private: true, joined: true });

    const ws = sam.ws();
    const sub = subscribe<Event>(ws, EVENTS, { c: channel.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send(alex, channel.id, 'Customer X threatens to cancel');
    expect((await sub.next()).data?.chatEvents.message?.body).toBe('Customer X threatens to cancel');

    await alex.data('mutation($c: ID!, $u: ID!) { removeFromChannel(channelId: $c, userId: $u) { id } }', {
      c: channel.id,
      u: ids['agent2@demo.test'],
    });
    expect((await sub.next()).data?.chatEvents.kind).toBe('REMOVED');
    await send(alex, channel.id, 'Secret after removal');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sub.done).toBe(true);
    expect(JSON.stringify(sub.received)).not.toContain('Secret after removal');
    expect((await channels(sam)).map((c) => c.id)).not.toContain(channel.id);
    await ws.dispose();
  });

  it('tell a removed member nothing about their messages in search', async () => {
    const channel = await createChannel(morgan, 'managers-only', true);
    await send(morgan, channel.id, 'Quarterly bonus pineapple plan');
    const found = await morgan.data<{ searchChat: Message[] }>(
      `query { searchChat(query: "pineapple") { ${MESSAGE_FIELDS} } }`,
    );
    expect(found.searchChat.map((m) => m.body)).toEqual(['Quarterly bonus pineapple plan']);
    const notFound = await sam.data<{ searchChat: Message[] }>('query { searchChat(query: "pineapple") { id } }');
    expect(notFound.searchChat).toEqual([]);
  });
});

describe('direct messages', () => {
  it('opens the same conversation every time, named after the other person', async () => {
    const open = (client: GraphQLTestClient, userIds: string[]) =>
      client.data<{ openDirectChannel: Channel }>(
        `mutation($u: [ID!]!) { openDirectChannel(userIds: $u) { ${CHANNEL_FIELDS} } }`,
        { u: userIds },
      );
    const first = (await open(alex, [ids['agent2@demo.test']!])).openDirectChannel;
    const again = (await open(sam, [ids['agent1@demo.test']!])).openDirectChannel;
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ kind: 'DIRECT', private: true, name: 'Sam Agent' });
    expect(again.name).toBe('Alex Agent');
    const group = (await open(alex, [ids['agent2@demo.test']!, ids['manager@demo.test']!])).openDirectChannel;
    expect(group.id).not.toBe(first.id);
    expect(group.name).toBe('Morgan Manager, Sam Agent');
    expect((await channels(morgan)).map((c) => c.id)).not.toContain(first.id);
    const customer = await casey.data<{ me: { id: string } }>('{ me { id } }');
    expect(
      code(
        await alex.request('mutation($u: [ID!]!) { openDirectChannel(userIds: $u) { id } }', { u: [customer.me.id] }),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});

describe('delivery to many subscribers', () => {
  it('shares one execution only where the answer is the same for everyone', async () => {
    const { openDirectChannel } = await alex.data<{ openDirectChannel: { id: string } }>(
      'mutation($u: [ID!]!) { openDirectChannel(userIds: $u) { id } }',
      { u: [ids['agent2@demo.test']] },
    );
    // The same query on two sockets: the channel's name is the other person for each of them.
    const query =
      'subscription($c: ID!) { chatEvents(channelId: $c) { kind message { body author { email } channel { name } } } }';
    type Named = { chatEvents: { message: { body: string; channel: { name: string } } } };
    const [wsAlex, wsSam] = [alex.ws(), sam.ws()];
    const [subAlex, subSam] = [
      subscribe<Named>(wsAlex, query, { c: openDirectChannel.id }),
      subscribe<Named>(wsSam, query, { c: openDirectChannel.id }),
    ];
    const wsPlain = sam.ws();
    const plain = subscribe<Event>(wsPlain, EVENTS, { c: openDirectChannel.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await send(alex, openDirectChannel.id, 'Shared or not?');
    expect((await subAlex.next()).data?.chatEvents.message.channel.name).toBe('Sam Agent');
    expect((await subSam.next()).data?.chatEvents.message.channel.name).toBe('Alex Agent');
    expect((await plain.next()).data?.chatEvents.message?.body).toBe('Shared or not?');
    await Promise.all([wsAlex.dispose(), wsSam.dispose(), wsPlain.dispose()]);
  });
});

describe('messages', () => {
  it('counts unread messages per member until they are read', async () => {
    const channel = await createChannel(alex, 'unread-counts', false, [ids['agent2@demo.test']!]);
    const unread = async () => (await channels(sam)).find((c) => c.id === channel.id)!.unreadCount;
    expect(await unread()).toBe(0);
    await send(sam, channel.id, 'my own message is never unread');
    await send(alex, channel.id, 'one');
    const second = await send(alex, channel.id, 'two');
    expect(await unread()).toBe(2);
    expect((await channels(alex)).find((c) => c.id === channel.id)!.unreadCount).toBe(0);
    await sam.data('mutation($c: ID!, $m: ID) { markChannelRead(channelId: $c, messageId: $m) { id } }', {
      c: channel.id,
      m: second.id,
    });
    expect(await unread()).toBe(0);
    await send(alex, channel.id, 'three');
    expect(await unread()).toBe(1);
    // Writing in a channel reads it up to there.
    await send(sam, channel.id, 'replying reads the channel');
    expect(await unread()).toBe(0);
    await send(alex, channel.id, 'five');
    await alex.data('mutation($c: ID!) { deleteChatMessage(messageId: $c) { id } }', {
      c: (await send(alex, channel.id, 'four, deleted')).id,
    });
    expect(await unread()).toBe(1);
  });

  it('are edited and deleted by their author only, visibly, and live', async () => {
    const channel = await createChannel(alex, 'edits');
    const ws = sam.ws();
    const sub = subscribe<Event>(ws, EVENTS, { c: channel.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const message = await send(alex, channel.id, 'Teh build is green');
    expect((await sub.next()).data?.chatEvents.kind).toBe('MESSAGE_CREATED');

    const foreign = await sam.request('mutation($m: ID!) { editChatMessage(messageId: $m, body: "hijack") { id } }', {
      m: message.id,
    });
    expect(code(foreign)).toBe('FORBIDDEN');
    expect(
      code(await sam.request('mutation($m: ID!) { deleteChatMessage(messageId: $m) { id } }', { m: message.id })),
    ).toBe('FORBIDDEN');

    await alex.data('mutation($m: ID!) { editChatMessage(messageId: $m, body: "The build is green") { id } }', {
      m: message.id,
    });
    const edited = (await sub.next()).data?.chatEvents;
    expect(edited).toMatchObject({ kind: 'MESSAGE_UPDATED', message: { body: 'The build is green' } });
    expect(edited?.message?.editedAt).not.toBeNull();

    await alex.data('mutation($m: ID!) { deleteChatMessage(messageId: $m) { id } }', { m: message.id });
    const deleted = (await sub.next()).data?.chatEvents;
    expect(deleted).toMatchObject({ kind: 'MESSAGE_DELETED', message: { id: message.id, body: '', deleted: true } });
    sub.dispose();
    await ws.dispose();

    const history = await sam.data<{ chatMessages: { nodes: Message[] } }>(
      `query($c: ID!) { chatMessages(channelId: $c) { nodes { ${MESSAGE_FIELDS} } } }`,
      { c: channel.id },
    );
    expect(history.chatMessages.nodes).toEqual([expect.objectContaining({ id: message.id, deleted: true, body: '' })]);
    const search = await sam.data<{ searchChat: Message[] }>('{ searchChat(query: "build green") { id } }');
    expect(search.searchChat).toEqual([]);
  });

  it('pages history backwards without gaps or repeats', async () => {
    const channel = await createChannel(alex, 'history');
    for (let i = 1; i <= 7; i++) await send(alex, channel.id, `message ${i}`);
    const page = (before: string | null) =>
      alex.data<{ chatMessages: { nodes: Message[]; hasOlder: boolean } }>(
        'query($c: ID!, $b: ID) { chatMessages(channelId: $c, before: $b, first: 3) { nodes { id body } hasOlder } }',
        { c: channel.id, b: before },
      );
    const seen: string[] = [];
    let before: string | null = null;
    for (;;) {
      const { chatMessages } = await page(before);
      seen.unshift(...chatMessages.nodes.map((m) => m.body));
      if (!chatMessages.hasOlder) break;
      before = chatMessages.nodes[0]!.id;
    }
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `message ${i + 1}`));
  });

  it('finds messages by words across readable channels', async () => {
    const a = await createChannel(alex, 'search-a');
    const b = await createChannel(sam, 'search-b');
    await send(alex, a.id, 'The thermal printer in Leeds is offline');
    await send(sam, b.id, 'Leeds printers all fixed now');
    await send(sam, b.id, 'Unrelated chatter');
    const { searchChat } = await morgan.data<{ searchChat: Array<{ body: string; channel: { name: string } }> }>(
      '{ searchChat(query: "leeds") { body channel { name } } }',
    );
    expect(searchChat.map((m) => [m.channel.name, m.body])).toEqual([
      ['search-b', 'Leeds printers all fixed now'],
      ['search-a', 'The thermal printer in Leeds is offline'],
    ]);
  });

  it('notifies the people mentioned, with a link to the channel', async () => {
    const channel = await createChannel(alex, 'mentions');
    const samId = ids['agent2@demo.test']!;
    await send(alex, channel.id, `@[Sam Agent](user:${samId}) can you look at the queue?`);
    const { notifications } = await sam.data<{ notifications: Array<{ kind: string; title: string; link: string }> }>(
      '{ notifications { kind title link } }',
    );
    expect(notifications[0]).toEqual({
      kind: 'CHAT_MENTION',
      title: 'Alex Agent mentioned you in #mentions: @Sam Agent can you look at the queue?',
      link: `/chat/${channel.id}`,
    });
  });

  it('shows tickets linked by number or URL as preview cards', async () => {
    const { createTicket } = await alex.data<{ createTicket: { id: string; number: number } }>(
      'mutation { createTicket(input: { title: "Till 4 is frozen", description: "d" }) { id number } }',
    );
    const channel = await createChannel(alex, 'links');
    const message = await send(
      alex,
      channel.id,
      `Look at #${createTicket.number} and http://x/tickets/${createTicket.id}, not #999999`,
    );
    expect(message.ticketLinks).toEqual([{ number: createTicket.number, title: 'Till 4 is frozen' }]);
  });

  it('adds a message to a ticket as an internal note that refers back to the chat', async () => {
    const { createTicket } = await alex.data<{ createTicket: { id: string; number: number } }>(
      'mutation { createTicket(input: { title: "Refund question", description: "d", requesterEmail: "customer@demo.test" }) { id number } }',
    );
    const channel = await createChannel(sam, 'to-ticket');
    const message = await send(sam, channel.id, 'Finance says refunds over 500 need approval');
    const { addChatMessageToTicket } = await alex.data<{
      addChatMessageToTicket: { kind: string; internal: boolean; body: string; data: Record<string, unknown> };
    }>(
      'mutation($m: ID!, $n: Int!) { addChatMessageToTicket(messageId: $m, ticketNumber: $n) { kind internal body data } }',
      { m: message.id, n: createTicket.number },
    );
    expect(addChatMessageToTicket).toMatchObject({
      kind: 'NOTE',
      internal: true,
      body: 'From team chat (#to-ticket), Sam Agent wrote:\n\n> Finance says refunds over 500 need approval',
      data: { source: { chatChannelId: channel.id, chatMessageId: message.id } },
    });
    const { ticket } = await casey.data<{ ticket: { timeline: Array<{ body: string }> } }>(
      'query($t: ID!) { ticket(id: $t) { timeline { body } } }',
      { t: createTicket.id },
    );
    expect(JSON.stringify(ticket.timeline)).not.toContain('Finance');
    const { chatMessages } = await alex.data<{
      chatMessages: { nodes: Array<{ addedToTickets: Array<{ number: number }> }> };
    }>('query($c: ID!) { chatMessages(channelId: $c) { nodes { addedToTickets { number } } } }', { c: channel.id });
    expect(chatMessages.nodes[0]!.addedToTickets).toEqual([{ number: createTicket.number }]);
    const missing = await alex.request(
      'mutation($m: ID!) { addChatMessageToTicket(messageId: $m, ticketNumber: 999999) { id } }',
      { m: message.id },
    );
    expect(code(missing)).toBe('NOT_FOUND');
  });

  it('shows who is typing to the others in the channel', async () => {
    const channel = await createChannel(alex, 'typing');
    const ws = alex.ws();
    const sub = subscribe<Event>(ws, EVENTS, { c: channel.id });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await alex.data('mutation($c: ID!) { reportChatTyping(channelId: $c) }', { c: channel.id }); // own: not echoed
    await sam.data('mutation($c: ID!) { reportChatTyping(channelId: $c) }', { c: channel.id });
    expect((await sub.next()).data?.chatEvents).toEqual({
      kind: 'TYPING',
      user: { email: 'agent2@demo.test' },
      message: null,
    });
    sub.dispose();
    await ws.dispose();
  });
});

describe('presence', () => {
  type Presence = { teamPresence: Array<{ status: string; user: { email: string } }> };
  const statusOf = async (email: string) =>
    (await alex.data<Presence>('{ teamPresence { status user { email } } }')).teamPresence.find(
      (p) => p.user.email === email,
    )?.status;
  const report = (client: GraphQLTestClient, connectionId: string, away: boolean) =>
    client.data('mutation($c: String!, $a: Boolean!) { reportChatPresence(connectionId: $c, away: $a) }', {
      c: connectionId,
      a: away,
    });

  it('is online with any active tab, away when all are idle, offline when none is left, live', async () => {
    const ws = alex.ws();
    const sub = subscribe<{ teamPresenceEvents: { status: string; user: { email: string } } }>(
      ws,
      'subscription { teamPresenceEvents { status user { email } } }',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await statusOf('agent2@demo.test')).toBe('OFFLINE');
    expect(await statusOf('customer@demo.test')).toBeUndefined();
    await report(sam, 'sam-tab-one', false);
    expect((await sub.next()).data?.teamPresenceEvents).toEqual({
      status: 'ONLINE',
      user: { email: 'agent2@demo.test' },
    });
    await report(sam, 'sam-tab-two', true); // still online thanks to the first tab: nothing announced
    await report(sam, 'sam-tab-one', true);
    expect((await sub.next()).data?.teamPresenceEvents.status).toBe('AWAY');
    expect(await statusOf('agent2@demo.test')).toBe('AWAY');
    await sam.data('mutation { leaveChatPresence(connectionId: "sam-tab-one") }');
    await sam.data('mutation { leaveChatPresence(connectionId: "sam-tab-two") }');
    expect((await sub.next()).data?.teamPresenceEvents.status).toBe('OFFLINE');
    expect(sub.received).toHaveLength(3);
    sub.dispose();
    await ws.dispose();
  });

  it('expires a tab that stops heartbeating', async () => {
    await report(sam, 'sam-tab-three', false);
    expect(await statusOf('agent2@demo.test')).toBe('ONLINE');
    await stack.runtime.orm.em
      .fork()
      .getConnection()
      .execute(
        `update chat_presence set expires_at = now() - interval '1 second' where connection_id = 'sam-tab-three'`,
      );
    expect(await stack.runtime.services.chatPresence.sweepExpired()).toBe(1);
    expect(await statusOf('agent2@demo.test')).toBe('OFFLINE');
  });

  it('is for agents only', async () => {
    expect(code(await casey.request('{ teamPresence { status } }'))).toBe('FORBIDDEN');
    expect(code(await casey.request('mutation { reportChatPresence(connectionId: "casey-tab-1", away: false) }'))).toBe(
      'FORBIDDEN',
    );
  });
});
