// SLAs from outside, through GraphQL, on a real server and database: the seeded default policy,
// the contract's operations, clocks following ticket changes, and timers that record each warning
// and breach exactly once however many runners race and whichever of them dies.
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import { subscribe, type GraphQLTestClient } from '../../../../tests/support/graphql-client.js';
import { forTenant } from '../../db/tenant-scope.js';

let stack: TestStack;
let db: pg.Client;
let admin: GraphQLTestClient;
let manager: GraphQLTestClient;
let agent1: GraphQLTestClient;
let customer: GraphQLTestClient;
let agent1Id: string;

const SLA = 'sla { state firstResponseDueAt nextResponseDueAt resolutionDueAt breachedAt policyName }';

interface TicketSla {
  state: string;
  firstResponseDueAt: string | null;
  nextResponseDueAt: string | null;
  resolutionDueAt: string | null;
  breachedAt: string | null;
  policyName: string | null;
}
interface SlaTicket {
  id: string;
  createdAt: string;
  sla: TicketSla;
}

beforeAll(async () => {
  stack = await startTestStack();
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  [admin, manager, agent1, customer] = await Promise.all([
    stack.login('admin@demo.test'),
    stack.login('manager@demo.test'),
    stack.login('agent1@demo.test'),
    stack.login('customer@demo.test'),
  ]);
  const { me } = await agent1.data<{ me: { id: string } }>('{ me { id } }');
  agent1Id = me.id;
});
afterAll(async () => {
  await db?.end();
  await stack?.close();
});

const minutesAfter = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000);

async function createTicket(input: Record<string, unknown>): Promise<SlaTicket> {
  const { createTicket } = await agent1.data<{ createTicket: SlaTicket }>(
    `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id createdAt ${SLA} } }`,
    { input: { description: 'Details', requesterEmail: 'customer@demo.test', ...input } },
  );
  return createTicket;
}

async function slaOf(ticketId: string, client = agent1): Promise<TicketSla> {
  const { ticket } = await client.data<{ ticket: { sla: TicketSla } }>(
    `query($id: ID!) { ticket(id: $id) { ${SLA} } }`,
    {
      id: ticketId,
    },
  );
  return ticket.sla;
}

async function update(input: Record<string, unknown>): Promise<void> {
  await agent1.data('mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { id } }', { input });
}

async function reply(client: GraphQLTestClient, ticketId: string, internal = false): Promise<void> {
  await client.data('mutation($input: AddCommentInput!) { addComment(input: $input) { id } }', {
    input: { ticketId, body: 'A reply', internal },
  });
}

async function slaEvents(
  ticketId: string,
): Promise<Array<{ kind: string; internal: boolean; data: Record<string, unknown> }>> {
  const { ticket } = await agent1.data<{
    ticket: { timeline: Array<{ kind: string; internal: boolean; data: Record<string, unknown> }> };
  }>('query($id: ID!) { ticket(id: $id) { timeline(first: 500) { kind internal data } } }', { id: ticketId });
  return ticket.timeline.filter((e) => e.kind.startsWith('SLA_'));
}

const POLICY_FIELDS = `id name isDefault pauseStatuses warningMinutes calendar { id timeZone }
  targets { urgency importance firstResponseMinutes nextResponseMinutes resolutionMinutes }`;

async function createPolicy(input: Record<string, unknown>): Promise<{ id: string }> {
  const { createSlaPolicy } = await manager.data<{ createSlaPolicy: { id: string } }>(
    `mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { ${POLICY_FIELDS} } }`,
    { input },
  );
  return createSlaPolicy;
}

const cell = (urgency: string, importance: string, first: number, resolution: number, next?: number) => ({
  urgency,
  importance,
  firstResponseMinutes: first,
  nextResponseMinutes: next ?? null,
  resolutionMinutes: resolution,
});

describe('the default policy', () => {
  // Seed 002, section 6, "SLA Tiers by Combined Priority"; High × Medium/Low (not in the seed)
  // take High × High.
  const H = 60;
  const D = 24 * H;
  const seed002 = [
    cell('CRITICAL', 'CRITICAL', 15, 2 * H),
    cell('CRITICAL', 'HIGH', 30, 4 * H),
    cell('CRITICAL', 'MEDIUM', 1 * H, 8 * H),
    cell('CRITICAL', 'LOW', 1 * H, 8 * H),
    cell('HIGH', 'CRITICAL', 1 * H, 4 * H),
    cell('HIGH', 'HIGH', 2 * H, 1 * D),
    cell('HIGH', 'MEDIUM', 2 * H, 1 * D),
    cell('HIGH', 'LOW', 2 * H, 1 * D),
    ...['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((i) => cell('MEDIUM', i, 8 * H, 3 * D)),
    ...['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'].map((i) => cell('LOW', i, 24 * H, 7 * D)),
  ];

  it("is seed 002's table, around the clock, pausing while pending customer, in every tenant", async () => {
    const other = await stack.login('admin@other.test');
    for (const client of [admin, other]) {
      const { slaPolicies } = await client.data<{
        slaPolicies: Array<{ isDefault: boolean; calendar: unknown; pauseStatuses: string[]; targets: unknown[] }>;
      }>(`{ slaPolicies { ${POLICY_FIELDS} } }`);
      const defaults = slaPolicies.filter((p) => p.isDefault);
      expect(defaults).toHaveLength(1);
      expect(defaults[0]!.calendar).toBeNull();
      expect(defaults[0]!.pauseStatuses).toEqual(['PENDING_CUSTOMER']);
      expect(defaults[0]!.targets).toEqual(seed002);
    }
  });

  it('gives a new ticket due times from its urgency × importance', async () => {
    const ticket = await createTicket({ title: 'Payment gateway failing', urgency: 'CRITICAL', importance: 'HIGH' });
    expect(ticket.sla.state).toBe('OK');
    expect(new Date(ticket.sla.firstResponseDueAt!)).toEqual(minutesAfter(ticket.createdAt, 30));
    expect(new Date(ticket.sla.resolutionDueAt!)).toEqual(minutesAfter(ticket.createdAt, 240));
    expect(ticket.sla.nextResponseDueAt).toBeNull();
  });
});

describe('who sees SLAs', () => {
  it('customers get FORBIDDEN on the board and no SLA on their tickets', async () => {
    const board = await customer.request('{ slaBoard { ok } }');
    expect(board.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ticket = await createTicket({ title: 'Visible to the customer' });
    const { ticket: seen } = await customer.data<{ ticket: { sla: unknown } }>(
      'query($id: ID!) { ticket(id: $id) { sla { state } } }',
      { id: ticket.id },
    );
    expect(seen.sla).toBeNull();
  });

  it('only managers and admins change policies', async () => {
    const res = await agent1.request('mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id } }', {
      input: { name: 'Mine', targets: [cell('LOW', 'LOW', 10, 20)] },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('rejects bad targets and calendars with a clear message', async () => {
    const dup = await manager.request('mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id } }', {
      input: { name: 'Dup', targets: [cell('LOW', 'LOW', 10, 20), cell('LOW', 'LOW', 10, 20)] },
    });
    expect(dup.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(dup.errors?.[0]?.message).toContain('LOW×LOW is listed twice');
    const cal = await manager.request(
      'mutation($input: SlaCalendarInput!) { createSlaCalendar(input: $input) { id } }',
      { input: { name: 'Bad', timeZone: 'Nowhere/City', periods: [{ weekday: 1, start: '09:00', end: '17:00' }] } },
    );
    expect(cal.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(cal.errors?.[0]?.message).toContain('Unknown time zone');
  });
});

describe('clocks follow the ticket', () => {
  it('a public agent reply meets the first response; an internal note does not', async () => {
    const ticket = await createTicket({ title: 'Reply meets first response', urgency: 'HIGH', importance: 'HIGH' });
    await reply(agent1, ticket.id, true);
    expect((await slaOf(ticket.id)).firstResponseDueAt).not.toBeNull();
    await reply(agent1, ticket.id);
    const sla = await slaOf(ticket.id);
    expect(sla.firstResponseDueAt).toBeNull();
    expect(sla.resolutionDueAt).not.toBeNull();
  });

  it('pending customer pauses the clock and answering resumes it', async () => {
    const ticket = await createTicket({ title: 'Waiting for logs', urgency: 'HIGH', importance: 'HIGH' });
    await update({ ticketId: ticket.id, status: 'PENDING_CUSTOMER' });
    const paused = await slaOf(ticket.id);
    expect(paused.state).toBe('PAUSED');
    expect(paused.resolutionDueAt).toBeNull();
    // The customer answers: the ticket reopens and the clock runs again, later than before.
    await reply(customer, ticket.id);
    const resumed = await slaOf(ticket.id);
    expect(resumed.state).toBe('OK');
    expect(new Date(resumed.resolutionDueAt!).getTime()).toBeGreaterThanOrEqual(
      new Date(ticket.sla.resolutionDueAt!).getTime(),
    );
  });

  it('a priority change moves the due times; resolving meets the SLA', async () => {
    const ticket = await createTicket({ title: 'Priority goes up', urgency: 'LOW', importance: 'LOW' });
    await update({ ticketId: ticket.id, urgency: 'CRITICAL', importance: 'CRITICAL' });
    const raised = await slaOf(ticket.id);
    expect(new Date(raised.firstResponseDueAt!).getTime()).toBeLessThanOrEqual(
      minutesAfter(ticket.createdAt, 15).getTime() + 5_000,
    );
    await update({ ticketId: ticket.id, status: 'RESOLVED' });
    expect((await slaOf(ticket.id)).state).toBe('MET');
  });

  it('a company with its own policy gets it; a customer reply starts next response under it', async () => {
    const policy = await createPolicy({
      name: 'Acme gold',
      targets: [cell('MEDIUM', 'MEDIUM', 20, 600, 45)],
    });
    const { slaCompanies } = await manager.data<{ slaCompanies: Array<{ company: { id: string; name: string } }> }>(
      '{ slaCompanies { company { id name } policy { id } } }',
    );
    const acme = slaCompanies.find((c) => c.company.name === 'Acme Corporation')!;
    const { setCompanySlaPolicy } = await manager.data<{ setCompanySlaPolicy: { policy: { id: string } } }>(
      'mutation($c: ID!, $p: ID) { setCompanySlaPolicy(companyId: $c, policyId: $p) { policy { id } } }',
      { c: acme.company.id, p: policy.id },
    );
    expect(setCompanySlaPolicy.policy.id).toBe(policy.id);
    const ticket = await createTicket({ title: 'Acme asks', requesterEmail: 'buyer@acme.test' });
    expect(ticket.sla.policyName).toBe('Acme gold');
    expect(new Date(ticket.sla.firstResponseDueAt!)).toEqual(minutesAfter(ticket.createdAt, 20));
    await reply(agent1, ticket.id);
    expect((await slaOf(ticket.id)).nextResponseDueAt).toBeNull();
    // The buyer answers (by mail or portal, as a customer): next response is now due in 45 minutes.
    const { rows } = await db.query<{ id: string; tenant_id: string }>(
      `select id::text, tenant_id::text from users where email = 'buyer@acme.test'`,
    );
    const buyer = rows[0]!;
    const services = stack.runtime.services;
    await services.timeline.addComment(
      forTenant(services.orm.em, buyer.tenant_id),
      { tenantId: buyer.tenant_id, userId: buyer.id, staff: false },
      { ticketId: ticket.id, body: 'Thanks, but it still fails', internal: false },
    );
    const answered = await slaOf(ticket.id);
    expect(answered.nextResponseDueAt).not.toBeNull();
    expect(new Date(answered.nextResponseDueAt!).getTime()).toBeGreaterThan(
      minutesAfter(ticket.createdAt, 44).getTime(),
    );
    await reply(agent1, ticket.id);
    expect((await slaOf(ticket.id)).nextResponseDueAt).toBeNull();
    await manager.data('mutation($c: ID!) { setCompanySlaPolicy(companyId: $c, policyId: null) { company { id } } }', {
      c: acme.company.id,
    });
  });
});

describe('timers', () => {
  it('record the warning and the breach exactly once, however many runners race', async () => {
    const ticket = await createTicket({
      title: 'Production server down',
      urgency: 'CRITICAL',
      importance: 'CRITICAL',
      assigneeId: agent1Id,
    });
    const { firstResponseDueAt } = ticket.sla;
    const due = new Date(firstResponseDueAt!);
    const timers = stack.runtime.services.slaTimers;
    // Half-way (the 15-minute target's warning lead is capped at half): four runners at once.
    const warnAt = new Date(due.getTime() - 7.5 * 60_000 + 1_000);
    await Promise.all([1, 2, 3, 4].map(() => timers.fireDue(100, warnAt)));
    expect((await slaEvents(ticket.id)).map((e) => e.kind)).toEqual(['SLA_WARNING']);
    const breachAt = new Date(due.getTime() + 1_000);
    await Promise.all([1, 2, 3, 4].map(() => timers.fireDue(100, breachAt)));
    await timers.fireDue(100, breachAt);
    const events = await slaEvents(ticket.id);
    expect(events.map((e) => e.kind)).toEqual(['SLA_WARNING', 'SLA_BREACHED']);
    expect(events[1]).toMatchObject({
      internal: true,
      data: { target: 'FIRST_RESPONSE', dueAt: due.toISOString(), cycle: 0 },
    });
    expect((await slaOf(ticket.id)).state).toBe('BREACHED');
    const { notifications } = await agent1.data<{ notifications: Array<{ kind: string; ticket: { id: string } }> }>(
      '{ notifications { kind ticket { id } } }',
    );
    expect(notifications.filter((n) => n.ticket?.id === ticket.id).map((n) => n.kind)).toEqual([
      'SLA_BREACHED',
      'SLA_WARNING',
    ]);
  });

  it('tell the workers when the next warning or breach is due', async () => {
    const next = await stack.runtime.services.slaTimers.nextDueAt();
    const { rows } = await db.query<{ at: Date }>('select min(next_check_at) as at from ticket_slas');
    expect(next).toBeInstanceOf(Date);
    expect(next!.getTime()).toBe(rows[0]!.at.getTime());
  });

  it('a runner that dies holding a ticket neither loses nor doubles its breach', async () => {
    const ticket = await createTicket({ title: 'Checkout broken', urgency: 'CRITICAL', importance: 'CRITICAL' });
    const breachAt = new Date(new Date(ticket.sla.firstResponseDueAt!).getTime() + 1_000);
    const timers = stack.runtime.services.slaTimers;
    // A first runner has claimed the ticket and hangs.
    const stuck = new pg.Client({ connectionString: stack.databaseUrl });
    await stuck.connect();
    await stuck.query('begin');
    await stuck.query(
      'select 1 from ticket_slas s join tickets t on t.id = s.ticket_id where t.id = $1 for update of s, t',
      [ticket.id],
    );
    // Another runner skips it rather than waiting or firing twice.
    await timers.fireDue(100, breachAt);
    expect(await slaEvents(ticket.id)).toEqual([]);
    // The first runner dies (its transaction rolls back): the next pass records the breach once.
    await stuck.query('rollback');
    await stuck.end();
    await timers.fireDue(100, breachAt);
    await timers.fireDue(100, new Date(breachAt.getTime() + 60_000));
    expect((await slaEvents(ticket.id)).map((e) => e.kind)).toEqual(['SLA_BREACHED']);
    const { rows } = await db.query('select count(*)::int as n from sla_firings where ticket_id = $1', [ticket.id]);
    expect(rows[0].n).toBe(1);
  });

  it('a reply just after the due time finds the breach not yet recorded and records it', async () => {
    const ticket = await createTicket({ title: 'Late reply', urgency: 'CRITICAL', importance: 'CRITICAL' });
    await db.query(
      `update ticket_slas set clocks = jsonb_set(clocks, '{FIRST_RESPONSE,dueAt}', to_jsonb(now() - interval '1 second'))
       where ticket_id = $1`,
      [ticket.id],
    );
    await reply(agent1, ticket.id);
    expect((await slaEvents(ticket.id)).map((e) => (e.data as { target: string }).target)).toEqual(['FIRST_RESPONSE']);
    expect((await slaOf(ticket.id)).state).toBe('BREACHED');
  });
});

describe('the board', () => {
  it('counts open tickets by state, lists breached first, and streams changes', async () => {
    const ws = manager.ws();
    const events = subscribe<{ slaBoardEvents: { breached: number } }>(
      ws,
      'subscription { slaBoardEvents { breached } }',
    );
    const before = await manager.data<{ slaBoard: { breached: number } }>('{ slaBoard { breached } }');
    const ticket = await createTicket({ title: 'Board breach', urgency: 'CRITICAL', importance: 'CRITICAL' });
    await stack.runtime.services.slaTimers.fireDue(
      1000,
      new Date(new Date(ticket.sla.firstResponseDueAt!).getTime() + 1_000),
    );
    let latest = (await events.next()).data?.slaBoardEvents.breached ?? 0;
    while (latest < before.slaBoard.breached + 1) latest = (await events.next()).data?.slaBoardEvents.breached ?? 0;
    expect(latest).toBeGreaterThan(before.slaBoard.breached);
    const { slaBoard } = await manager.data<{
      slaBoard: {
        breached: number;
        warning: number;
        atRisk: Array<{ id: string; sla: TicketSla }>;
        byAgent: Array<{ label: string; breached: number }>;
        compliance: Array<{ date: string; met: number; breached: number }>;
      };
    }>(`{ slaBoard { breached warning atRisk { id ${SLA} } byAgent { label breached } byTeam { label } byCompany { label }
         compliance(days: 30) { date met breached } } }`);
    expect(slaBoard.atRisk.length).toBe(Math.min(50, slaBoard.breached + slaBoard.warning));
    const states = slaBoard.atRisk.map((t) => t.sla.state);
    expect(states.indexOf('WARNING') === -1 || states.lastIndexOf('BREACHED') < states.indexOf('WARNING')).toBe(true);
    expect(slaBoard.atRisk.map((t) => t.id)).toContain(ticket.id);
    expect(slaBoard.compliance).toHaveLength(30);
    expect(slaBoard.compliance.at(-1)!.breached).toBeGreaterThan(0);
    expect(slaBoard.byAgent.reduce((n, row) => n + row.breached, 0)).toBe(slaBoard.breached);
    events.dispose();
    await ws.dispose();
  });

  it('keeps its counts equal to the open tickets by state, before and after folding the ledger', async () => {
    const scan = async () => {
      const { rows } = await db.query<{ state: string; n: number }>(
        `select state, count(*)::int as n from ticket_slas s join tenants t on t.id = s.tenant_id
         where t.slug = 'demo' and s.open group by state`,
      );
      const by = Object.fromEntries(rows.map((r) => [r.state, r.n]));
      return { ok: by.OK ?? 0, warning: by.WARNING ?? 0, breached: by.BREACHED ?? 0, paused: by.PAUSED ?? 0 };
    };
    const board = async () =>
      (await manager.data<{ slaBoard: Record<string, number> }>('{ slaBoard { ok warning breached paused } }'))
        .slaBoard;
    expect(await board()).toEqual(await scan());
    expect(await stack.runtime.services.slaTimers.compactCounts(0)).toBeGreaterThan(0);
    expect(await board()).toEqual(await scan());
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from sla_state_deltas');
    expect(rows[0]!.n).toBeLessThanOrEqual(2 * 6);
  });

  it("answers the SLA page's own board query within the server's query limits", async () => {
    const document = fs.readFileSync(
      new URL('../../../../client/src/features/sla/sla.graphql', import.meta.url),
      'utf8',
    );
    const fragment = (name: string) => new RegExp(`fragment ${name} [\\s\\S]*?\\n}\\n`).exec(document)![0];
    const query = ['TicketSlaFields', 'SlaBreakdownFields', 'SlaBoardFields'].map(fragment).join('\n');
    const res = await manager.request(`${query}\nquery SlaBoardPage { slaBoard { ...SlaBoardFields } }`);
    expect(res.errors).toBeUndefined();
  });

  it('a new default policy applies to tickets created after it, not before', async () => {
    const earlier = await createTicket({ title: 'Before the new default', urgency: 'LOW', importance: 'LOW' });
    const { slaPolicies } = await manager.data<{
      slaPolicies: Array<{ id: string; name: string; isDefault: boolean; targets: unknown[] }>;
    }>(`{ slaPolicies { ${POLICY_FIELDS} } }`);
    const seeded = slaPolicies.find((p) => p.isDefault)!;
    await createPolicy({ name: 'Tight', isDefault: true, targets: [cell('LOW', 'LOW', 1, 2)] });
    const later = await createTicket({ title: 'After the new default', urgency: 'LOW', importance: 'LOW' });
    expect(new Date(later.sla.firstResponseDueAt!)).toEqual(minutesAfter(later.createdAt, 1));
    expect(later.sla.policyName).toBe('Tight');
    await update({ ticketId: earlier.id, title: 'Before the new default (edited)' });
    expect((await slaOf(earlier.id)).firstResponseDueAt).toBe(earlier.sla.firstResponseDueAt);
    await manager.data(
      'mutation($id: ID!, $input: SlaPolicyInput!) { updateSlaPolicy(id: $id, input: $input) { id } }',
      { id: seeded.id, input: { name: seeded.name, isDefault: true, targets: seeded.targets } },
    );
  });
});
