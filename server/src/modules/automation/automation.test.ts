// The rules engine on a real PostgreSQL: rules are created through the API as an admin would, the
// engine runs as the workers run it (explicit passes here, so that tests never wait on timers).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import crypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { forTenant } from '../../db/tenant-scope.js';
import { systemActor } from '../actor.js';
import type { AutomationEngine } from './automation.engine.js';
import { automationEngine, settleAutomation } from '../../../../tests/support/automation.js';
import { createSupportAddress } from '../../../../tests/support/support-address.js';

let stack: TestStack;
let admin: GraphQLTestClient;
let manager: GraphQLTestClient;
let agent1: GraphQLTestClient;
let customer: GraphQLTestClient;
let engine: AutomationEngine;
let users: Record<string, string>;
let teamId: string;
let tenantId: string;

interface Ticket {
  id: string;
  number: number;
  status: string;
  urgency: string;
  importance: string;
  tags: string[];
  assignee: { email: string } | null;
}
const TICKET = 'id number status urgency importance tags assignee { email }';

function newEngine(): AutomationEngine {
  return automationEngine(stack);
}

const settle = (on: AutomationEngine = engine) => settleAutomation(on);

async function createRule(input: Record<string, unknown>, client = admin): Promise<{ id: string }> {
  const { createAutomationRule } = await client.data<{ createAutomationRule: { id: string } }>(
    'mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }',
    { input },
  );
  return createAutomationRule;
}

async function createTicket(input: Record<string, unknown>, client = agent1): Promise<Ticket> {
  const { createTicket } = await client.data<{ createTicket: Ticket }>(
    `mutation($input: CreateTicketInput!) { createTicket(input: $input) { ${TICKET} } }`,
    { input: { description: 'Details', ...input } },
  );
  return createTicket;
}

async function ticket(
  id: string,
): Promise<Ticket & { timeline: Array<{ kind: string; body: string | null; data: Record<string, unknown> }> }> {
  const { ticket } = await agent1.data<{
    ticket: Ticket & { timeline: Array<{ kind: string; body: string | null; data: Record<string, unknown> }> };
  }>(`query($id: ID!) { ticket(id: $id) { ${TICKET} timeline { kind body data } } }`, { id });
  return ticket;
}

async function executions(ruleId: string): Promise<
  Array<{
    status: string;
    ticketNumber: number;
    depth: number;
    error: string | null;
    results: Array<{ type: string; ok: boolean; summary: string; error: string | null }>;
  }>
> {
  const { automationRuleExecutions } = await admin.data<{
    automationRuleExecutions: Array<{
      status: string;
      ticketNumber: number;
      depth: number;
      error: string | null;
      results: Array<{ type: string; ok: boolean; summary: string; error: string | null }>;
    }>;
  }>(
    'query($id: ID!) { automationRuleExecutions(ruleId: $id, includeNotMatched: true) { status ticketNumber depth error results { type ok summary error } } }',
    { id: ruleId },
  );
  return automationRuleExecutions;
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  return stack.runtime.services.orm.em.fork().getConnection().execute(text, params) as Promise<T[]>;
}

beforeAll(async () => {
  stack = await startTestStack();
  [admin, manager, agent1, customer] = await Promise.all([
    stack.login('admin@demo.test'),
    stack.login('manager@demo.test'),
    stack.login('agent1@demo.test'),
    stack.login('customer@demo.test'),
  ]);
  const { agents, teams, me } = await admin.data<{
    agents: Array<{ id: string; email: string }>;
    teams: Array<{ id: string; name: string }>;
    me: { tenant: { id: string } };
  }>('{ agents { id email } teams { id name } me { tenant { id } } }');
  users = Object.fromEntries(agents.map((a) => [a.email, a.id]));
  teamId = teams.find((t) => t.name === 'Support')!.id;
  tenantId = me.tenant.id;
  engine = newEngine();
  await settle(); // the demo data's events: no rules yet
});
afterAll(async () => {
  await stack?.close();
});

// Each test starts without rules (rules of earlier tests would act on its tickets too).
beforeEach(async () => {
  await sql('delete from automation_rules');
});

describe('permissions and validation', () => {
  const LIST = '{ automationRules { id name } }';
  const CREATE = 'mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }';
  const input = { name: 'Tag it', trigger: { type: 'TICKET_CREATED' }, actions: [{ type: 'ADD_TAG', tag: 'x' }] };

  it('lets admins and managers manage rules; agents and customers get FORBIDDEN', async () => {
    for (const client of [agent1, customer]) {
      expect((await client.request(LIST)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await client.request(CREATE, { input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    await createRule(input, manager);
    expect((await admin.data<{ automationRules: unknown[] }>(LIST)).automationRules).toHaveLength(1);
  });

  it('refuses malformed rules with a clear BAD_USER_INPUT and stores nothing', async () => {
    const bad = await admin.request(CREATE, {
      input: { ...input, actions: [{ type: 'SET_STATUS', status: 'FINISHED' }] },
    });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/^actions\.0\.status/);
    const foreign = await admin.request(CREATE, {
      input: { ...input, actions: [{ type: 'ASSIGN_USER', userId: crypto.randomUUID() }] },
    });
    expect(foreign.errors?.[0]?.message).toMatch(/no such agent/);
    const secretless = await admin.request(CREATE, {
      input: { ...input, actions: [{ type: 'WEBHOOK', url: 'http://127.0.0.1:1/hook' }] },
    });
    expect(secretless.errors?.[0]?.message).toMatch(/signing secret/);
    expect((await admin.data<{ automationRules: unknown[] }>(LIST)).automationRules).toHaveLength(0);
  });

  it('orders, disables and deletes rules', async () => {
    const a = await createRule({ ...input, name: 'A' });
    const b = await createRule({ ...input, name: 'B' });
    const { reorderAutomationRules } = await admin.data<{
      reorderAutomationRules: Array<{ name: string; position: number }>;
    }>('mutation($ids: [ID!]!) { reorderAutomationRules(ids: $ids) { name position } }', { ids: [b.id, a.id] });
    expect(reorderAutomationRules.map((r) => r.name)).toEqual(['B', 'A']);
    await admin.data('mutation($id: ID!) { setAutomationRuleEnabled(id: $id, enabled: false) { enabled } }', {
      id: b.id,
    });
    const { automationRules } = await admin.data<{ automationRules: Array<{ name: string; enabled: boolean }> }>(
      '{ automationRules { name enabled } }',
    );
    expect(automationRules).toEqual([
      { name: 'B', enabled: false },
      { name: 'A', enabled: true },
    ]);
    await admin.data('mutation($id: ID!) { deleteAutomationRule(id: $id) }', { id: a.id });
    expect((await admin.data<{ automationRules: unknown[] }>(LIST)).automationRules).toHaveLength(1);
  });
});

describe('event triggers and actions', () => {
  it('escalates a critical × critical ticket: notifies every agent, tags it and notes why (seed 002 rule 1)', async () => {
    const rule = await createRule({
      name: 'Critical escalation',
      trigger: { type: 'TICKET_CREATED' },
      conditions: {
        type: 'group',
        op: 'AND',
        children: [
          { type: 'condition', field: 'URGENCY', operator: 'IS', value: 'CRITICAL' },
          { type: 'condition', field: 'IMPORTANCE', operator: 'IS', value: 'CRITICAL' },
        ],
      },
      actions: [
        { type: 'NOTIFY', roles: ['AGENT'], message: 'Critical ticket: drop everything' },
        { type: 'ADD_TAG', tag: 'escalated' },
        { type: 'ADD_NOTE', body: 'Escalated to every agent.' },
      ],
    });
    const agent2 = await stack.login('agent2@demo.test');
    const unread = async () =>
      (
        await agent2.data<{ notifications: Array<{ kind: string; title: string }> }>('{ notifications { kind title } }')
      ).notifications.filter((n) => n.kind === 'AUTOMATION');
    const before = (await unread()).length;
    const critical = await createTicket({ title: 'Production down', urgency: 'CRITICAL', importance: 'CRITICAL' });
    const minor = await createTicket({ title: 'Typo', urgency: 'CRITICAL', importance: 'LOW' });
    await settle();

    const escalated = await ticket(critical.id);
    expect(escalated.tags).toEqual(['escalated']);
    const note = escalated.timeline.find((e) => e.kind === 'NOTE');
    expect(note?.body).toBe('Escalated to every agent.');
    expect(note?.data.automation).toMatchObject({ ruleName: 'Critical escalation' });
    const tagged = escalated.timeline.find((e) => e.kind === 'TAGS_CHANGED');
    expect(tagged?.data.automation).toMatchObject({ ruleName: 'Critical escalation' });
    expect((await unread()).length).toBe(before + 1);
    expect((await unread())[0]?.title).toContain('drop everything');
    expect((await ticket(minor.id)).tags).toEqual([]);

    const log = await executions(rule.id);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: 'SUCCEEDED', ticketNumber: critical.number, depth: 1 });
    expect(log[0]!.results.map((r) => r.type)).toEqual(['NOTIFY', 'ADD_TAG', 'ADD_NOTE']);
    // Agents see on the ticket which rules ran.
    const { ticket: runs } = await agent1.data<{
      ticket: { automationRuns: Array<{ ruleName: string; status: string }> };
    }>('query($id: ID!) { ticket(id: $id) { automationRuns { ruleName status } } }', { id: critical.id });
    expect(runs.automationRuns).toEqual([{ ruleName: 'Critical escalation', status: 'SUCCEEDED' }]);
  });

  it('changes status, urgency, importance, assignee and tags through the ticket services', async () => {
    await createRule({
      name: 'Billing triage',
      trigger: { type: 'TICKET_CREATED' },
      conditions: { type: 'condition', field: 'TEXT', operator: 'CONTAINS', value: 'invoice' },
      actions: [
        { type: 'SET_URGENCY', level: 'HIGH' },
        { type: 'SET_IMPORTANCE', level: 'LOW' },
        { type: 'ASSIGN_USER', userId: users['agent2@demo.test'] },
        { type: 'SET_STATUS', status: 'PENDING_CUSTOMER' },
        { type: 'REMOVE_TAG', tag: 'inbox' },
        { type: 'ADD_TAG', tag: 'billing' },
      ],
    });
    const created = await createTicket({ title: 'Wrong invoice', tags: ['inbox', 'keep'] });
    await settle();
    const after = await ticket(created.id);
    expect(after).toMatchObject({
      status: 'PENDING_CUSTOMER',
      urgency: 'HIGH',
      importance: 'LOW',
      tags: ['billing', 'keep'],
      assignee: { email: 'agent2@demo.test' },
    });
    const automated = after.timeline.filter((e) => e.data.automation);
    expect(automated.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['PRIORITY_CHANGED', 'ASSIGNED', 'STATUS_CHANGED', 'TAGS_CHANGED']),
    );
  });

  it('assigns to a team by round-robin through the assignment service', async () => {
    await createRule({
      name: 'Route to support',
      trigger: { type: 'TICKET_CREATED' },
      conditions: { type: 'condition', field: 'TITLE', operator: 'CONTAINS', value: '[route]' },
      actions: [{ type: 'ASSIGN_TEAM', teamId }],
    });
    const a = await createTicket({ title: '[route] one' });
    const b = await createTicket({ title: '[route] two' });
    await settle();
    const assignees = [(await ticket(a.id)).assignee?.email, (await ticket(b.id)).assignee?.email];
    expect(new Set(assignees)).toEqual(new Set(['agent1@demo.test', 'agent2@demo.test']));
  });

  it('fails a rule as a whole when an action is refused, logs why and changes nothing', async () => {
    const rule = await createRule({
      name: 'Impossible',
      trigger: { type: 'STATUS_CHANGED' },
      actions: [
        { type: 'ADD_TAG', tag: 'never' },
        { type: 'SET_STATUS', status: 'PENDING_CUSTOMER' },
      ],
    });
    const created = await createTicket({ title: 'Resolve me' });
    await agent1.data('mutation($id: ID!) { updateTicket(input: { ticketId: $id, status: RESOLVED }) { id } }', {
      id: created.id,
    });
    await settle();
    expect((await ticket(created.id)).tags).toEqual([]);
    const [failed] = await executions(rule.id);
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toMatch(/Action 2 \(SET_STATUS\).*RESOLVED ticket cannot become PENDING_CUSTOMER/);
  });

  it('reacts to comments by visibility, and to an update once per change', async () => {
    const internalOnly = await createRule({
      name: 'On notes',
      trigger: { type: 'COMMENT_ADDED', visibility: 'INTERNAL' },
      actions: [{ type: 'ADD_TAG', tag: 'noted' }],
    });
    const updated = await createRule({
      name: 'On update',
      trigger: { type: 'TICKET_UPDATED' },
      actions: [{ type: 'NOTIFY', roles: ['MANAGER'] }],
    });
    const created = await createTicket({ title: 'Comments' });
    const comment = (internal: boolean) =>
      agent1.data('mutation($input: AddCommentInput!) { addComment(input: $input) { id } }', {
        input: { ticketId: created.id, body: internal ? 'note' : 'reply', internal },
      });
    await comment(false); // a public reply: not a note, but it opens the ticket (an update)
    await settle();
    expect((await ticket(created.id)).tags).toEqual([]);
    expect(await executions(updated.id)).toHaveLength(1);
    // One update changing three fields fires "updated" once.
    await agent1.data(
      'mutation($id: ID!) { updateTicket(input: { ticketId: $id, urgency: LOW, importance: LOW, title: "Renamed" }) { id } }',
      { id: created.id },
    );
    await settle();
    expect(await executions(updated.id)).toHaveLength(2);
    await comment(true);
    await settle();
    expect((await ticket(created.id)).tags).toEqual(['noted']);
    expect(await executions(internalOnly.id)).toHaveLength(1);
  });

  it('treats SLA events on the timeline as triggers', async () => {
    const rule = await createRule({
      name: 'Breach escalation',
      trigger: { type: 'SLA_BREACHED' },
      actions: [
        { type: 'SET_URGENCY', level: 'CRITICAL' },
        { type: 'NOTIFY', assignee: true },
      ],
    });
    const created = await createTicket({ title: 'Slow', assigneeId: users['agent1@demo.test'] });
    const { orm, timeline } = stack.runtime.services;
    // What the SLA timers write (another module): an SLA_BREACHED event on the timeline.
    await forTenant(orm.em, tenantId).transactional(async (tx) => {
      const writer = (timeline as unknown as { writer: import('../timeline/timeline.writer.js').TimelineWriter })
        .writer;
      const locked = await writer.lockTicket(tx, created.id);
      await writer.record(tx, locked, systemActor(tenantId), {
        kind: 'SLA_BREACHED' as never,
        internal: true,
        data: { target: 'FIRST_RESPONSE' },
      });
    });
    await settle();
    expect((await ticket(created.id)).urgency).toBe('CRITICAL');
    expect((await executions(rule.id))[0]?.results.map((r) => r.summary)).toEqual([
      'Set urgency to Critical',
      'Notify the assignee: 1 person',
    ]);
  });

  it('mails a template to the requester through the outbox', async () => {
    await createSupportAddress(admin, {
      displayName: 'Demo Support',
      address: 'help@demo.test',
      imapUser: 'help',
      imapPassword: 'imap-secret',
    });
    const rule = await createRule({
      name: 'Confirm resolution',
      trigger: { type: 'STATUS_CHANGED' },
      conditions: { type: 'condition', field: 'STATUS', operator: 'IS', value: 'RESOLVED' },
      actions: [{ type: 'SEND_MAIL', template: 'TICKET_RESOLVED' }],
    });
    const created = await createTicket({ title: 'Mail me', requesterEmail: 'pat@acme.test' });
    await agent1.data('mutation($id: ID!) { updateTicket(input: { ticketId: $id, status: RESOLVED }) { id } }', {
      id: created.id,
    });
    await settle();
    const mails = await sql<{ subject: string; to_addresses: string[] }>(
      `select subject, to_addresses from mail_messages where ticket_id = ? and direction = 'OUT'`,
      [created.id],
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toMatch(/^Resolved: Mail me/);
    expect(mails[0]?.to_addresses).toEqual(['pat@acme.test']);
    expect((await executions(rule.id))[0]?.results[0]?.summary).toMatch(/queued to pat@acme.test/);
  });
});

describe('webhooks', () => {
  let server: http.Server;
  let url: string;
  const received: Array<{ body: string; signature: string | undefined }> = [];
  let answer = 200;
  let closedPort = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ body, signature: req.headers['x-switchboard-signature'] as string | undefined });
        if (req.url === '/slow') return; // never answers: the timeout must end the call
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('POSTs the ticket as JSON signed with the rule secret, which is stored sealed and never returned', async () => {
    const secret = 'hook-secret-123';
    const rule = await createRule({
      name: 'Tell the ops bot',
      trigger: { type: 'TICKET_CREATED' },
      actions: [{ type: 'WEBHOOK', url: `${url}/hook`, secret }],
    });
    const created = await createTicket({ title: 'Hooked' });
    await settle();
    expect(received).toHaveLength(1);
    const { body, signature } = received[0]!;
    expect(signature).toBe(`sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`);
    expect(JSON.parse(body)).toMatchObject({ rule: { name: 'Tell the ops bot' }, ticket: { number: created.number } });
    expect((await executions(rule.id))[0]).toMatchObject({ status: 'SUCCEEDED' });
    const stored = JSON.stringify(await sql('select actions from automation_rules where id = ?', [rule.id]));
    expect(stored).not.toContain(secret);
    const { automationRules } = await admin.data<{ automationRules: Array<{ actions: unknown[] }> }>(
      '{ automationRules { actions } }',
    );
    expect(JSON.stringify(automationRules)).not.toContain(secret);
    expect(automationRules[0]?.actions[0]).toMatchObject({ type: 'WEBHOOK', hasSecret: true });
  });

  it('logs failures (error status, timeout, refused) without undoing the other actions or stopping the engine', async () => {
    answer = 500;
    const rule = await createRule({
      name: 'Flaky hooks',
      trigger: { type: 'TICKET_CREATED' },
      actions: [
        { type: 'ADD_TAG', tag: 'hooked' },
        { type: 'WEBHOOK', url: `${url}/fails`, secret: 'abcdefgh' },
        { type: 'WEBHOOK', url: `${url}/slow`, secret: 'abcdefgh', timeoutMs: 300 },
        { type: 'WEBHOOK', url: `http://127.0.0.1:${closedPort}/closed`, secret: 'abcdefgh' },
      ],
    });
    const created = await createTicket({ title: 'Flaky' });
    await settle();
    expect((await ticket(created.id)).tags).toEqual(['hooked']);
    const [run] = await executions(rule.id);
    expect(run?.status).toBe('PARTIAL');
    expect(run?.results.map((r) => [r.type, r.ok])).toEqual([
      ['ADD_TAG', true],
      ['WEBHOOK', false],
      ['WEBHOOK', false],
      ['WEBHOOK', false],
    ]);
    expect(run?.results[1]?.error).toBe('HTTP 500');
    expect(run?.results[2]?.error).toMatch(/within 300 ms/);
    expect(run?.results[3]?.error).toMatch(/ECONNREFUSED/);
  });
});

describe('time-based triggers', () => {
  const later = (hours: number) => new Date(Date.now() + hours * 3_600_000);

  it('fires "unassigned for 2 h" once per occurrence, and again after a new unassignment', async () => {
    const rule = await createRule({
      name: 'Unassigned alert',
      trigger: { type: 'UNASSIGNED_FOR', minutes: 120 },
      conditions: { type: 'condition', field: 'TITLE', operator: 'CONTAINS', value: 'lonely' },
      actions: [{ type: 'NOTIFY', roles: ['ADMIN'] }],
    });
    const lonely = await createTicket({ title: 'lonely ticket' });
    await createTicket({ title: 'another unassigned one' });
    expect(await engine.scanTimeTriggers(later(1))).toBe(0);
    await engine.scanTimeTriggers(later(3));
    await engine.scanTimeTriggers(later(4)); // the same occurrence: nothing new
    const log = await executions(rule.id);
    expect(log.filter((e) => e.status === 'SUCCEEDED').map((e) => e.ticketNumber)).toEqual([lonely.number]);
    // Assigned and unassigned again: a new occurrence, due 2 h after the unassignment.
    for (const assigneeId of [users['agent1@demo.test'], null]) {
      await agent1.data(
        'mutation($id: ID!, $a: ID) { updateTicket(input: { ticketId: $id, assigneeId: $a }) { id } }',
        {
          id: lonely.id,
          a: assigneeId,
        },
      );
    }
    await engine.scanTimeTriggers(later(1));
    expect((await executions(rule.id)).filter((e) => e.status === 'SUCCEEDED')).toHaveLength(1);
    await engine.scanTimeTriggers(later(2.5));
    expect((await executions(rule.id)).filter((e) => e.status === 'SUCCEEDED')).toHaveLength(2);
  });

  it('closes tickets resolved for 72 h and nudges tickets pending for 3 days', async () => {
    const close = await createRule({
      name: 'Auto-close',
      trigger: { type: 'RESOLVED_FOR', minutes: 72 * 60 },
      actions: [{ type: 'SET_STATUS', status: 'CLOSED' }],
    });
    await createRule({
      name: 'Pending reminder',
      trigger: { type: 'PENDING_FOR', minutes: 3 * 24 * 60 },
      actions: [{ type: 'ADD_TAG', tag: 'chase' }],
    });
    const resolved = await createTicket({ title: 'Done' });
    const pending = await createTicket({ title: 'Waiting' });
    for (const [id, status] of [
      [resolved.id, 'RESOLVED'],
      [pending.id, 'PENDING_CUSTOMER'],
    ] as const) {
      await agent1.data(
        'mutation($id: ID!, $s: TicketStatus!) { updateTicket(input: { ticketId: $id, status: $s }) { id } }',
        {
          id,
          s: status,
        },
      );
    }
    await engine.scanTimeTriggers(later(71));
    expect((await ticket(resolved.id)).status).toBe('RESOLVED');
    await engine.scanTimeTriggers(later(73));
    const closed = await ticket(resolved.id);
    expect(closed.status).toBe('CLOSED');
    expect(closed.timeline.at(-1)?.data.automation).toMatchObject({ ruleName: 'Auto-close' });
    expect((await ticket(pending.id)).tags).toEqual(['chase']);
    const closes = (await executions(close.id)).filter((e) => e.ticketNumber === resolved.number);
    expect(closes.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });
});

describe('loop guard', () => {
  it('never re-triggers a rule by its own action', async () => {
    const rule = await createRule({
      name: 'Touch on update',
      trigger: { type: 'TICKET_UPDATED' },
      actions: [
        { type: 'ADD_TAG', tag: 'touched' },
        { type: 'SET_URGENCY', level: 'HIGH' },
      ],
    });
    const created = await createTicket({ title: 'Loop' });
    await agent1.data('mutation($id: ID!) { updateTicket(input: { ticketId: $id, importance: LOW }) { id } }', {
      id: created.id,
    });
    await settle();
    expect(await executions(rule.id)).toHaveLength(1);
    expect((await ticket(created.id)).tags).toEqual(['touched']);
  });

  it('stops a chain of rules after 5 and logs the stop', async () => {
    // Rule i adds tag c<i> when c<i-1> is there; listed last-first so that each reacts to the previous.
    const ids: string[] = [];
    for (let i = 1; i <= 7; i += 1) {
      const rule = await createRule({
        name: `Chain ${i}`,
        trigger: { type: i === 1 ? 'TICKET_CREATED' : 'TICKET_UPDATED' },
        conditions:
          i === 1
            ? { type: 'condition', field: 'TITLE', operator: 'CONTAINS', value: 'chain' }
            : { type: 'condition', field: 'TAGS', operator: 'CONTAINS', value: `c${i - 1}` },
        actions: [{ type: 'ADD_TAG', tag: `c${i}` }],
      });
      ids.push(rule.id);
    }
    await admin.data('mutation($ids: [ID!]!) { reorderAutomationRules(ids: $ids) { id } }', {
      ids: [...ids].reverse(),
    });
    const created = await createTicket({ title: 'chain reaction' });
    await settle();
    expect((await ticket(created.id)).tags).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    const logs = await Promise.all(ids.map((id) => executions(id)));
    expect(logs.map((log) => log.map((e) => `${e.status}@${e.depth}`))).toEqual([
      ['SUCCEEDED@1'],
      ['SUCCEEDED@2'],
      ['SUCCEEDED@3'],
      ['SUCCEEDED@4'],
      ['SUCCEEDED@5'],
      ['SKIPPED@6'],
      [],
    ]);
    expect(logs[5]![0]!.error).toMatch(/loop guard/);
  });
});

describe('exactly once', () => {
  async function noteCount(ticketIds: string[]): Promise<number> {
    const rows = await sql<{ count: string }>(
      `select count(*) from timeline_events where kind = 'NOTE' and ticket_id = any(?::uuid[])`,
      [`{${ticketIds.join(',')}}`],
    );
    return Number(rows[0]?.count);
  }

  it('runs each trigger once with two engines at once, after a restart, and after a replayed pass', async () => {
    const rule = await createRule({
      name: 'Acknowledge',
      trigger: { type: 'TICKET_CREATED' },
      actions: [{ type: 'ADD_NOTE', body: 'Seen by automation.' }],
    });
    const tickets = await Promise.all(Array.from({ length: 12 }, (_, i) => createTicket({ title: `Burst ${i}` })));
    const ids = tickets.map((t) => t.id);
    const [first, second] = [newEngine(), newEngine()];
    await Promise.all([settle(first), settle(second), settle(first)]);
    expect(await noteCount(ids)).toBe(12);
    // A crash after the rules ran but before the cursor was saved: the next engine reads those events again.
    await sql(`update automation_cursors set tx_id = '0'::xid8, event_id = 0`);
    const restarted = newEngine();
    await settle(restarted);
    expect(await noteCount(ids)).toBe(12);
    expect(await executions(rule.id)).toHaveLength(12);
  });

  it('does not miss an event whose transaction commits after later ones were processed', async () => {
    const rule = await createRule({
      name: 'Late commit',
      trigger: { type: 'COMMENT_ADDED' },
      actions: [{ type: 'ADD_TAG', tag: 'seen' }],
    });
    const [slowTicket, quickTicket] = [await createTicket({ title: 'Slow' }), await createTicket({ title: 'Quick' })];
    await settle();
    const { orm, timeline } = stack.runtime.services;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let written!: () => void;
    const writtenSignal = new Promise<void>((resolve) => (written = resolve));
    // A comment written first (lower event id) whose transaction commits last.
    const slow = forTenant(orm.em, tenantId).transactional(async (tx) => {
      await timeline.addComment(tx, systemActor(tenantId), { ticketId: slowTicket.id, body: 'slow', internal: true });
      written();
      await gate;
    });
    await writtenSignal;
    await agent1.data('mutation($input: AddCommentInput!) { addComment(input: $input) { id } }', {
      input: { ticketId: quickTicket.id, body: 'quick', internal: true },
    });
    await settle();
    release();
    await slow;
    await settle();
    expect((await ticket(quickTicket.id)).tags).toEqual(['seen']);
    expect((await ticket(slowTicket.id)).tags).toEqual(['seen']);
    expect(await executions(rule.id)).toHaveLength(2);
  });
});

describe('dry run', () => {
  it('says whether a rule matches ticket #N and what it would do, changing nothing', async () => {
    const created = await createTicket({ title: 'Invoice missing', urgency: 'HIGH' });
    const input = {
      name: 'Draft',
      trigger: { type: 'TICKET_CREATED' },
      conditions: {
        type: 'group',
        op: 'OR',
        children: [
          { type: 'condition', field: 'URGENCY', operator: 'AT_LEAST', value: 'HIGH' },
          { type: 'condition', field: 'TAGS', operator: 'CONTAINS', value: 'vip' },
        ],
      },
      actions: [
        { type: 'SET_STATUS', status: 'CLOSED' },
        { type: 'ASSIGN_USER', userId: users['agent2@demo.test'] },
      ],
    };
    const QUERY = `query($n: Int!, $input: AutomationRuleInput) { testAutomationRule(ticketNumber: $n, input: $input) {
      matched actions conditions { description matched } } }`;
    const { testAutomationRule } = await manager.data<{
      testAutomationRule: { matched: boolean; actions: string[]; conditions: Array<{ matched: boolean }> };
    }>(QUERY, { n: created.number, input });
    expect(testAutomationRule).toEqual({
      matched: true,
      actions: ['Set status to Closed', 'Assign to Sam Agent'],
      conditions: [
        { description: 'urgency at least HIGH', matched: true },
        { description: 'tags contains vip', matched: false },
      ],
    });
    expect((await ticket(created.id)).status).toBe('NEW');
    const missing = await manager.request(QUERY, { n: 99_999, input });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await agent1.request(QUERY, { n: created.number, input })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('hides which rule made a change from customers', async () => {
    await createRule({
      name: 'Internal rule name',
      trigger: { type: 'TICKET_CREATED' },
      actions: [{ type: 'SET_STATUS', status: 'OPEN' }],
    });
    const own = await createTicket({ title: 'My request' }, customer);
    await settle();
    const { ticket: seen } = await customer.data<{ ticket: { status: string; timeline: Array<{ data: unknown }> } }>(
      'query($id: ID!) { ticket(id: $id) { status timeline { data } } }',
      { id: own.id },
    );
    expect(seen.status).toBe('OPEN');
    expect(JSON.stringify(seen.timeline)).not.toContain('Internal rule name');
  });
});
