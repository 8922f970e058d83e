// Live chat from outside: a visitor on an allowed site talks to agents through the public widget
// API (HTTP with CORS, graphql-ws), agents answer through the main API, conversations become
// tickets (by hand and automatically, exactly once), and transcripts go out through real SMTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { getNamedType, isObjectType } from 'graphql';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import { subscribe, type GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { eventually, startSmtpServer, type SmtpTestServer } from '../../../../tests/support/mail-servers.js';
import pg from 'pg';
import { buildVisitorSchema } from './widget/widget-endpoint.js';
import { startScheduler } from '../../../../workers/src/scheduler.js';
import {
  LIVECHAT_AUTO_TICKET,
  registerLiveChatAutoTicket,
} from '../../../../workers/src/jobs/livechat-auto-ticket.job.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

const SITE = 'http://shop.example.test:8080';
let stack: TestStack;
let smtp: SmtpTestServer;
let admin: GraphQLTestClient;
let agent: GraphQLTestClient;
let widgetKey: string;

interface Answer<T> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** A visitor's browser on `origin`, calling the widget API like widget.js does. */
function visitor(token?: string, origin = SITE, key = () => widgetKey) {
  return {
    token,
    async request<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<Answer<T>> {
      const res = await fetch(`${stack.url}/widget/graphql?key=${encodeURIComponent(key())}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Omit<Answer<T>, 'status' | 'headers'>;
      return { status: res.status, headers: res.headers, ...body };
    },
    async data<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await this.request<T>(query, variables);
      if (res.errors?.length || !res.data) throw new Error(`visitor API errors: ${JSON.stringify(res.errors)}`);
      return res.data;
    },
    ws(onClosed?: (code: number) => void): Client {
      return createClient({
        url: `${stack.url.replace(/^http/, 'ws')}/widget/graphql?key=${encodeURIComponent(key())}`,
        webSocketImpl: class extends WebSocket {
          constructor(url: string, protocols?: string | string[]) {
            super(url, protocols, { origin });
          }
        },
        lazy: false,
        retryAttempts: 0,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        on: { closed: (event) => onClosed?.((event as { code: number }).code) },
        // A caller watching for the close handles it; graphql-ws would print it otherwise.
        ...(onClosed ? { onNonLazyError: () => undefined } : {}),
      });
    },
  };
}

async function startConversation(input: Record<string, unknown> = {}) {
  const data = await visitor().data<{ startConversation: { token: string; conversation: { status: string } } }>(
    `mutation($input: StartConversationInput) { startConversation(input: $input) { token conversation { status } } }`,
    { input },
  );
  return visitor(data.startConversation.token);
}

const SEND = `mutation($body: String!) { sendMessage(body: $body) { id author body } }`;
const CONVERSATION = `{ conversation { status name email ticketNumber messages { author body agentName } } }`;

async function settings(input: Record<string, unknown>) {
  return admin.data<{ updateLiveChatSettings: { publicKey: string } }>(
    `mutation($input: LiveChatSettingsInput!) { updateLiveChatSettings(input: $input) { publicKey } }`,
    { input },
  );
}

async function conversationIdOf(text: string): Promise<string> {
  const { liveConversations } = await agent.data<{ liveConversations: Array<{ id: string; preview: string }> }>(
    `{ liveConversations { id preview } }`,
  );
  const found = liveConversations.find((c) => c.preview.includes(text));
  if (!found) throw new Error(`no conversation with "${text}"`);
  return found.id;
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  stack = await startTestStack();
  admin = await stack.login('admin@demo.test');
  agent = await stack.login('agent1@demo.test');
  const { liveChatSettings } = await admin.data<{ liveChatSettings: { publicKey: string; enabled: boolean } }>(
    `{ liveChatSettings { publicKey enabled } }`,
  );
  expect(liveChatSettings.enabled).toBe(false);
  widgetKey = liveChatSettings.publicKey;
  await settings({ enabled: true, allowedOrigins: [`${SITE}/`], autoTicketAfterMinutes: 10 });
  await createSupportAddress(admin, {
    displayName: 'Demo Support',
    address: 'support@demo.test',
    imapUser: 'support',
    smtpPort: smtp.port,
    isDefault: true,
  });
});

afterAll(async () => {
  await stack?.close();
  await smtp?.close();
});

describe('the widget endpoint admits only allowed sites', () => {
  it('answers preflights from an allowed origin with CORS headers', async () => {
    const res = await fetch(`${stack.url}/widget/graphql?key=${widgetKey}`, {
      method: 'OPTIONS',
      headers: {
        origin: SITE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('refuses other origins, no origin and unknown keys, over HTTP and WebSocket', async () => {
    const query = `{ widget { greeting } }`;
    const evil = await visitor(undefined, 'http://evil.example.test').request(query);
    expect(evil.status).toBe(403);
    expect(evil.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${stack.url}/widget/graphql?key=${widgetKey}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.example.test:8081', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    const unknown = await visitor(undefined, SITE, () => 'wk_nosuchkeyatallhere').request(query);
    expect(unknown.status).toBe(404);
    expect((await visitor().request<{ widget: { greeting: string } }>(query)).data?.widget.greeting).toMatch(/help/);

    const refusedUpgrade = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(
          `${stack.url.replace(/^http/, 'ws')}/widget/graphql?key=${widgetKey}`,
          'graphql-transport-ws',
          { origin },
        );
        socket.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        socket.on('open', () => {
          socket.close();
          resolve('opened');
        });
        socket.on('error', () => undefined);
      });
    expect(await refusedUpgrade('http://evil.example.test')).toBe('refused 403');
    expect(await refusedUpgrade(SITE)).toBe('opened');
  });

  it('offers visitors no operation that takes an id', async () => {
    const schema = await buildVisitorSchema();
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const args = roots.flatMap((root) =>
      Object.values(root!.getFields()).flatMap((field) => field.args.map((a) => `${field.name}(${a.name}: ${a.type})`)),
    );
    expect(args.filter((a) => /ID/.test(a))).toEqual([]);
    expect(args.length).toBeGreaterThan(3);
    // And no agent type is reachable from it.
    expect(
      Object.keys(schema.getTypeMap()).filter((name) => ['User', 'Ticket', 'LiveConversation'].includes(name)),
    ).toEqual([]);
    expect(isObjectType(getNamedType(schema.getQueryType()!.getFields().conversation!.type))).toBe(true);
  });
});

describe('a visitor sees only their own conversation', () => {
  it('cannot read or write another conversation, with a guessed, foreign or no token', async () => {
    const alice = await startConversation({ name: 'Alice', email: 'alice@example.test' });
    const bob = await startConversation({ name: 'Bob' });
    await alice.data(SEND, { body: 'Alice secret: order 7781' });
    await bob.data(SEND, { body: 'Bob here' });

    const bobView = await bob.data<{ conversation: { name: string; messages: Array<{ body: string }> } }>(CONVERSATION);
    expect(bobView.conversation.name).toBe('Bob');
    expect(bobView.conversation.messages.map((m) => m.body)).toEqual(['Bob here']);

    const forged = visitor(`${alice.token!.slice(0, -2)}xx`);
    const denied = await forged.request(CONVERSATION);
    expect(denied.status).toBe(401);
    expect(denied.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(denied.data ?? null).toBeNull();
    expect((await visitor().request(SEND, { body: 'hi' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await visitor().data<{ conversation: null }>(CONVERSATION)).conversation).toBeNull();

    // Another tenant's widget key does not open Demo Support's conversation.
    const other = await stack.login('admin@other.test');
    const { updateLiveChatSettings } = await other.data<{ updateLiveChatSettings: { publicKey: string } }>(
      `mutation { updateLiveChatSettings(input: { enabled: true, allowedOrigins: ["${SITE}"] }) { publicKey } }`,
    );
    const elsewhere = visitor(alice.token, SITE, () => updateLiveChatSettings.publicKey);
    expect((await elsewhere.request(CONVERSATION)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Nor does Other Co's admin see it.
    const otherList = await other.data<{ liveConversations: Array<{ preview: string }> }>(
      `{ liveConversations { preview } }`,
    );
    expect(otherList.liveConversations).toEqual([]);
  });

  it('keeps hostile text as inert text within limits', async () => {
    const mallory = await startConversation();
    const html = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const sent = await mallory.data<{ sendMessage: { body: string } }>(SEND, { body: html });
    expect(sent.sendMessage.body).toBe(html);
    const tooLong = await mallory.request(SEND, { body: 'x'.repeat(4001) });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badEmail = await mallory.request(`mutation { updateContact(email: "not an email") { email } }`);
    expect(badEmail.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('is rate limited per visitor (messages) and per address (new conversations)', async () => {
    await settings({ visitorMessagesPerMinute: 3, conversationsPerHourPerIp: 1000 });
    const chatty = await startConversation();
    for (const n of [1, 2, 3]) await chatty.data(SEND, { body: `message ${n}` });
    const fourth = await chatty.request(SEND, { body: 'message 4' });
    expect(fourth.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    // Another visitor is not held back by the first one.
    const calm = await startConversation();
    await calm.data(SEND, { body: 'just one' });

    await settings({ visitorMessagesPerMinute: 20, conversationsPerHourPerIp: 1 });
    const blocked = await visitor().request(`mutation { startConversation { token } }`);
    expect(blocked.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS');
    await settings({ conversationsPerHourPerIp: 1000 });
  });
});

describe('agents and visitors, live', () => {
  it('delivers messages and typing both ways; customers are refused', async () => {
    const agentWs = agent.ws();
    const list = subscribe<{
      liveConversationEvents: {
        kind: string;
        conversation: { id: string; visitorName: string };
        message: { body: string } | null;
      };
    }>(
      agentWs,
      `subscription { liveConversationEvents { kind conversation { id visitorName } message { body } typing } }`,
    );
    await new Promise((r) => setTimeout(r, 300)); // the subscription is registered
    const dana = await startConversation({ name: 'Dana', email: 'dana@example.test' });
    const created = await list.next();
    expect(created.data?.liveConversationEvents).toMatchObject({
      kind: 'CREATED',
      conversation: { visitorName: 'Dana' },
    });
    const conversationId = created.data!.liveConversationEvents.conversation.id;

    const visitorWs = dana.ws();
    const events = subscribe<{
      conversationEvents: {
        kind: string;
        typing: boolean | null;
        agentName: string | null;
        message: { body: string; agentName: string | null } | null;
      };
    }>(visitorWs, `subscription { conversationEvents { kind typing agentName message { body author agentName } } }`);
    await new Promise((r) => setTimeout(r, 300));

    await dana.data(SEND, { body: 'Is the blue kettle in stock?' });
    expect((await list.next()).data?.liveConversationEvents.message?.body).toBe('Is the blue kettle in stock?');
    expect((await events.next()).data?.conversationEvents.message?.body).toBe('Is the blue kettle in stock?');

    await dana.data(`mutation { setTyping(typing: true) }`);
    expect((await list.next()).data?.liveConversationEvents).toMatchObject({ kind: 'TYPING', typing: true });

    await agent.data(`mutation($id: ID!) { setLiveConversationTyping(conversationId: $id, typing: true) }`, {
      id: conversationId,
    });
    expect((await events.next()).data?.conversationEvents).toMatchObject({
      kind: 'TYPING',
      typing: true,
      agentName: 'Alex',
    });

    await agent.data(
      `mutation($id: ID!) { replyToLiveConversation(input: { conversationId: $id, body: "Yes, two left." }) { id } }`,
      {
        id: conversationId,
      },
    );
    expect((await events.next()).data?.conversationEvents.message).toMatchObject({
      body: 'Yes, two left.',
      agentName: 'Alex',
    });

    const view = await agent.data<{
      liveConversation: {
        awaitingReply: boolean;
        messages: Array<{ author: string; agent: { email: string } | null }>;
      };
    }>(`query($id: ID!) { liveConversation(id: $id) { awaitingReply messages { author agent { email } } } }`, {
      id: conversationId,
    });
    expect(view.liveConversation.awaitingReply).toBe(false);
    expect(view.liveConversation.messages.map((m) => m.author)).toEqual(['VISITOR', 'AGENT']);

    const customer = await stack.login('customer@demo.test');
    for (const op of [
      `{ liveConversations { id } }`,
      `{ liveChatSettings { publicKey } }`,
      `mutation { closeLiveConversation(conversationId: "${conversationId}") { id } }`,
    ]) {
      expect((await customer.request(op)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await agent.request(`{ liveChatSettings { publicKey } }`)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    list.dispose();
    events.dispose();
    await Promise.all([agentWs.dispose(), visitorWs.dispose()]);
  });
});

interface TicketView {
  id: string;
  number: number;
  title: string;
  description: string;
  requester: { email: string } | null;
  timeline: Array<{ kind: string; internal: boolean }>;
}
const TICKET = 'id number title description requester { email } timeline { kind internal }';

describe('conversations become tickets exactly once', () => {
  it('by hand: the transcript is the first content, the visitor the requester; asking again changes nothing', async () => {
    const erin = await startConversation({ name: 'Erin Example', email: 'erin@example.test' });
    await erin.data(SEND, { body: 'My espresso machine leaks water' });
    const id = await conversationIdOf('espresso machine');
    await agent.data(
      `mutation($id: ID!) { replyToLiveConversation(input: { conversationId: $id, body: "Sorry to hear! Which model?" }) { id } }`,
      { id },
    );

    const convert = () =>
      agent.data<{ convertLiveConversationToTicket: TicketView }>(
        `mutation($id: ID!) { convertLiveConversationToTicket(conversationId: $id) { ${TICKET} } }`,
        { id },
      );
    const [a, b] = await Promise.all([convert(), convert()]);
    expect(a.convertLiveConversationToTicket.id).toBe(b.convertLiveConversationToTicket.id);
    const ticket = a.convertLiveConversationToTicket;
    expect(ticket.title).toBe('Live chat: My espresso machine leaks water');
    expect(ticket.requester?.email).toBe('erin@example.test');
    expect(ticket.description).toContain('Erin Example: My espresso machine leaks water');
    expect(ticket.description).toContain('Alex Agent: Sorry to hear! Which model?');
    expect(ticket.timeline.map((e) => e.kind)).toEqual(['TICKET_CREATED', 'NOTE']);
    const again = await convert();
    expect(again.convertLiveConversationToTicket.id).toBe(ticket.id);
    const { tickets } = await agent.data<{ tickets: { totalCount: number } }>(
      `{ tickets(filter: { query: "espresso" }) { totalCount } }`,
    );
    expect(tickets.totalCount).toBe(1);

    const seen = await erin.data<{
      conversation: { status: string; ticketNumber: number; messages: Array<{ author: string; body: string }> };
    }>(CONVERSATION);
    expect(seen.conversation.status).toBe('CONVERTED');
    expect(seen.conversation.ticketNumber).toBe(ticket.number);
    expect(seen.conversation.messages.at(-1)).toMatchObject({ author: 'SYSTEM' });
    expect((await erin.request(SEND, { body: 'hello?' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('automatically: with an email and no agent answer after N minutes, once, however often the job runs', async () => {
    const frank = await startConversation({ name: 'Frank', email: 'frank@example.test' });
    await frank.data(SEND, { body: 'Where is parcel AUTO-1?' });
    const answered = await startConversation({ email: 'gina@example.test' });
    await answered.data(SEND, { body: 'Where is parcel AUTO-2?' });
    await agent.data(
      `mutation($id: ID!) { replyToLiveConversation(input: { conversationId: $id, body: "On its way" }) { id } }`,
      {
        id: await conversationIdOf('AUTO-2'),
      },
    );
    const anonymous = await startConversation();
    await anonymous.data(SEND, { body: 'Where is parcel AUTO-3?' });

    const service = stack.runtime.services.liveChat;
    expect(await service.convertUnanswered(new Date(Date.now() + 5 * 60_000))).toBe(0); // not yet
    const later = new Date(Date.now() + 11 * 60_000);
    const runs = await Promise.all([service.convertUnanswered(later), service.convertUnanswered(later)]);
    expect(runs[0]! + runs[1]!).toBeGreaterThanOrEqual(1);
    expect(await service.convertUnanswered(later)).toBe(0);

    const count = async (q: string) =>
      (
        await agent.data<{ tickets: { totalCount: number; nodes: TicketView[] } }>(
          `query($q: String) { tickets(filter: { query: $q }) { totalCount nodes { ${TICKET} } } }`,
          { q },
        )
      ).tickets;
    const auto = await count('AUTO-1');
    expect(auto.totalCount).toBe(1);
    expect(auto.nodes[0]!.requester?.email).toBe('frank@example.test');
    expect((await count('AUTO-2')).totalCount).toBe(0);
    expect((await count('AUTO-3')).totalCount).toBe(0);
    expect((await frank.data<{ conversation: { status: string } }>(CONVERSATION)).conversation.status).toBe(
      'CONVERTED',
    );
  });
});

describe('the Agenda job', () => {
  it('turns an overdue chat into one ticket when two workers run it at once', async () => {
    const ivy = await startConversation({ name: 'Ivy', email: 'ivy@example.test' });
    await ivy.data(SEND, { body: 'Parcel JOB-1 never arrived' });
    const id = await conversationIdOf('JOB-1');
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    // Twenty minutes ago, with the tenant's limit at ten: due.
    await db.query(
      `update live_conversations set first_visitor_message_at = now() - interval '20 minutes' where id = $1`,
      [id],
    );
    await db.end();
    const workers = await Promise.all(
      [1, 2].map(() =>
        startScheduler(stack.runtime, (agenda) => registerLiveChatAutoTicket(agenda, stack.runtime.services)),
      ),
    );
    try {
      // `every` runs the job on each scheduler's start too, so runs other than ours may complete at
      // any time: wait for the conversion itself, then for exactly the runs queued here.
      const ticketOf = async () =>
        (
          await agent.data<{ liveConversation: { ticket: { number: number } | null } }>(
            `query($id: ID!) { liveConversation(id: $id) { ticket { number } } }`,
            { id },
          )
        ).liveConversation.ticket;
      await Promise.all(workers.map((w) => w.agenda.now(LIVECHAT_AUTO_TICKET)));
      const ticket = await eventually(ticketOf);
      const completed = new Set<string>();
      const record = (job: { attrs: { _id?: unknown } }) => completed.add(String(job.attrs._id));
      workers.forEach((w) => w.agenda.on(`complete:${LIVECHAT_AUTO_TICKET}`, record));
      const queued = await Promise.all(workers.map((w) => w.agenda.now(LIVECHAT_AUTO_TICKET)));
      await eventually(async () => queued.every((job) => completed.has(String(job.attrs._id))));
      workers.forEach((w) => w.agenda.off(`complete:${LIVECHAT_AUTO_TICKET}`, record));
      const { tickets } = await agent.data<{ tickets: { totalCount: number; nodes: Array<{ number: number }> } }>(
        `{ tickets(filter: { query: "JOB-1" }) { totalCount nodes { number } } }`,
      );
      expect(tickets.totalCount).toBe(1);
      expect(tickets.nodes[0]!.number).toBe(ticket.number);
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  });
});

describe('transcripts by email', () => {
  it('go out through the outbox from the default address to a real SMTP server', async () => {
    const hana = await startConversation({ name: 'Hana' });
    await hana.data(SEND, { body: 'Can I change my delivery address?' });
    const id = await conversationIdOf('delivery address');
    await agent.data(
      `mutation($id: ID!) { replyToLiveConversation(input: { conversationId: $id, body: "Yes, until it ships." }) { id } }`,
      { id },
    );
    const before = smtp.received.length;
    const sent = await hana.data<{ emailTranscript: string }>(
      `mutation { emailTranscript(email: "hana@example.test") }`,
    );
    expect(sent.emailTranscript).toBe('hana@example.test');
    await stack.runtime.services.outbox.sendDue();
    const mails = await smtp.waitFor(before + 1);
    const mail = mails.slice(before).find((m) => m.to.includes('hana@example.test'))!;
    expect(mail.from).toBe('support@demo.test');
    const raw = mail.raw.replace(/=\r?\n/g, '');
    expect(raw).toContain('Subject: Your chat with Demo Support');
    expect(raw).toContain('Hana: Can I change my delivery address?');
    expect(raw).toContain('Alex Agent: Yes, until it ships.');
    // The address is remembered for the conversation.
    expect((await hana.data<{ conversation: { email: string } }>(CONVERSATION)).conversation.email).toBe(
      'hana@example.test',
    );
  });
});

describe('changing the widget', () => {
  /** A visitor's open widget socket, and the close code it gets. */
  async function openWidgetSocket() {
    const chat = await startConversation({ name: 'Rosa' });
    let closedWith: (code: number) => void = () => undefined;
    const closed = new Promise<number>((resolve) => (closedWith = resolve));
    const client = chat.ws((code) => closedWith(code));
    await new Promise<void>((resolve) => client.on('connected', () => resolve()));
    return { client, closed };
  }

  it('closes open visitor sockets the widget no longer admits: an origin removed, the key regenerated', async () => {
    const first = await openWidgetSocket();
    await settings({ allowedOrigins: ['https://elsewhere.example.test/'] });
    expect(await first.closed).toBe(4403);
    await settings({ allowedOrigins: [`${SITE}/`] });

    const second = await openWidgetSocket();
    const oldKey = widgetKey;
    const { regenerateLiveChatWidgetKey } = await admin.data<{ regenerateLiveChatWidgetKey: { publicKey: string } }>(
      'mutation { regenerateLiveChatWidgetKey { publicKey } }',
    );
    expect(await second.closed).toBe(4403);
    widgetKey = regenerateLiveChatWidgetKey.publicKey;
    expect(widgetKey).not.toBe(oldKey);
    const withOldKey = await visitor(undefined, SITE, () => oldKey).request('{ widget { greeting } }');
    expect(withOldKey.status).toBe(404);
    // The site's new snippet works, and so does a socket on it.
    const third = await openWidgetSocket();
    await third.client.dispose();
  });
});
