// SLA at 100,000 open tickets under SLA in one tenant:
//  - the board query (`slaBoard` counts + at-risk list) over HTTP against a server process, p50/p99,
//    with and without the breakdowns and the 30-day compliance;
//  - recomputing one ticket's SLA inside its transaction (lock, recompute, flush), p50/p99, plus
//    the pure clock arithmetic with a business-hours calendar;
//  - timers recorded per second by two runners draining TIMERS overdue tickets at once;
//  - the delay between due time and recorded breach for BREACHES real tickets on a 1-minute
//    policy, with the workers' timer pump and its 2-second safety net running.
// Run: pnpm bench:sla   (TICKETS=100000 REQUESTS=300 RECOMPUTES=300 TIMERS=5000 BREACHES=30 by default)
import pg from 'pg';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { startTestStack } from '../support/stack.js';
import { startBenchServer } from './api-server.js';
import { percentile } from './percentile.js';
import { forTenant } from '../../server/src/db/tenant-scope.js';
import { Ticket } from '../../server/src/modules/tickets/ticket.entity.js';
import { BusinessClock } from '../../server/src/modules/sla/business-time.js';
import { bank, initialClocks, settle } from '../../server/src/modules/sla/sla-clocks.js';
import { SlaTimerPump } from '../../workers/src/sla/sla-timer-pump.js';

const TICKETS = Number(process.env.TICKETS ?? 100_000);
const REQUESTS = Number(process.env.REQUESTS ?? 300);
const TIMERS = Number(process.env.TIMERS ?? 5_000);
const BREACHES = Number(process.env.BREACHES ?? 30);
const RECOMPUTES = Number(process.env.RECOMPUTES ?? 300);

const BOARD = `{ slaBoard { ok warning breached paused
  atRisk { id number title status urgency importance assignee { id name } sla { state firstResponseDueAt nextResponseDueAt resolutionDueAt } } } }`;
const FULL_BOARD = `{ slaBoard { ok warning breached paused
  atRisk { id number title sla { state firstResponseDueAt resolutionDueAt } }
  byAgent { id label ok warning breached paused } byTeam { id label breached } byCompany { id label breached }
  compliance(days: 30) { date met breached } } }`;

const clock = (dueSql: string) =>
  `jsonb_build_object('active', true, 'cycle', 0, 'elapsedMs', 0, 'dueAt', to_jsonb(${dueSql}), 'warnAt', null,
     'metAt', null, 'warnedAt', null, 'breachedAt', null)`;

async function seed(db: pg.Client): Promise<void> {
  const started = Date.now();
  await db.query(
    `with demo as (select id from tenants where slug = 'demo'),
          people as (select array_agg(id) as ids from users where tenant_id = (select id from demo) and role <> 'CUSTOMER'),
          customers as (select array_agg(id) as ids from users where tenant_id = (select id from demo) and role = 'CUSTOMER')
     insert into tickets (id, created_at, updated_at, tenant_id, number, title, description, status, urgency, importance,
                          issue_type, tags, requester_id, assignee_id, last_activity_at)
     select gen_random_uuid(), now() - (n || ' seconds')::interval, now(), (select id from demo), 1000 + n,
            'SLA bench ticket ' || n, 'Generated', (array['NEW','OPEN','OPEN','PENDING_CUSTOMER'])[1 + n % 4]::ticket_status,
            (array['CRITICAL','HIGH','MEDIUM','LOW'])[1 + n % 4]::level, (array['CRITICAL','HIGH','MEDIUM','LOW'])[1 + (n / 4) % 4]::level,
            'Question', array['bench'], (select ids[1] from customers), (select ids[1 + n % array_length(ids, 1)] from people), now()
     from generate_series(1, $1::int) as n`,
    [TICKETS],
  );
  await db.query(`update tenants set next_ticket_number = 1001 + $1::int where slug = 'demo'`, [TICKETS]);
  // One SLA row per ticket: 70 % on track, 10 % each at risk, breached and paused.
  await db.query(
    `with p as (select id, tenant_id from sla_policies where is_default and tenant_id = (select id from tenants where slug = 'demo')),
          t as (select id, tenant_id, assignee_id, status, number - 1000 as n from tickets where title like 'SLA bench ticket %')
     insert into ticket_slas (id, created_at, updated_at, tenant_id, ticket_id, base_policy_id, policy_id, state, open, clocks,
                              soonest_due_at, next_check_at, breached_at, assignee_id)
     select gen_random_uuid(), now(), now(), t.tenant_id, t.id, p.id, p.id,
            (case when t.n % 10 = 0 then 'BREACHED' when t.n % 10 = 1 then 'WARNING' when t.n % 10 = 2 then 'PAUSED' else 'OK' end)::sla_state,
            true,
            jsonb_build_object('runningSince', to_jsonb(now()), 'FIRST_RESPONSE', ${clock("now() + (t.n % 600 - 60) * interval '1 minute'")},
              'NEXT_RESPONSE', jsonb_build_object('active', false, 'cycle', 0, 'elapsedMs', 0, 'dueAt', null, 'warnAt', null,
                'metAt', null, 'warnedAt', null, 'breachedAt', null),
              'RESOLUTION', ${clock("now() + (t.n % 6000) * interval '1 minute'")}),
            now() + (t.n % 600 - 60) * interval '1 minute', null,
            case when t.n % 10 = 0 then now() - interval '1 hour' end, t.assignee_id
     from t, p`,
  );
  await db.query('analyze tickets; analyze ticket_slas');
  console.log(`seeded ${TICKETS} open tickets under SLA in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The board's SQL on its own (no GraphQL), to tell database time from the rest. */
async function sqlTimings(db: pg.Client): Promise<void> {
  const { rows } = await db.query<{ id: string }>(`select id::text from tenants where slug = 'demo'`);
  const tenant = rows[0]!.id;
  const queries: Record<string, string> = {
    'counts (ledger sum)': `select state, sum(delta)::int from sla_state_deltas where tenant_id = $1 group by state`,
    'counts (scan of open tickets, for comparison)': `select state, count(*)::int from ticket_slas where tenant_id = $1 and open group by state`,
    'at risk: 50 breached, soonest due': `select ticket_id from ticket_slas where tenant_id = $1 and open and state = 'BREACHED' order by soonest_due_at asc nulls last limit 50`,
    'breakdown by agent': `select assignee_id, state, count(*)::int from ticket_slas where tenant_id = $1 and open and state <> 'NONE' group by 1, 2`,
  };
  for (const [label, sql] of Object.entries(queries)) {
    const times: number[] = [];
    for (let i = 0; i < 60; i++) {
      const start = performance.now();
      await db.query(sql, [tenant]);
      if (i >= 10) times.push(performance.now() - start);
    }
    console.log(
      `SQL ${label} | p50 ${percentile(times, 50).toFixed(2)} ms | p99 ${percentile(times, 99).toFixed(2)} ms`,
    );
  }
}

async function timeQueries(client: GraphQLTestClient, query: string, label: string): Promise<void> {
  for (let i = 0; i < 20; i++) await client.data(query);
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    await client.data(query);
    times.push(performance.now() - start);
  }
  console.log(`${label} | p50 ${percentile(times, 50).toFixed(1)} ms | p99 ${percentile(times, 99).toFixed(1)} ms`);
}

function pureArithmetic(): void {
  const berlin = new BusinessClock({
    timeZone: 'Europe/Berlin',
    periods: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })),
    holidays: ['2026-12-24', '2026-12-25', '2026-12-26'],
  });
  const targets = { FIRST_RESPONSE: 480, NEXT_RESPONSE: 240, RESOLUTION: 4320 };
  const runs = 2_000;
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const clocks = initialClocks();
    const t0 = new Date(Date.UTC(2026, 11, 1 + (i % 28), i % 24));
    clocks.runningSince = t0.toISOString();
    const now = new Date(t0.getTime() + 3_600_000);
    bank(clocks, berlin, now);
    settle(clocks, { open: true, paused: false }, targets, 60, berlin, now);
  }
  const us = ((performance.now() - start) / runs) * 1000;
  console.log(`clock arithmetic (bank + settle, Berlin office hours, 3-day target) | ${us.toFixed(0)} µs per ticket`);
}

async function main(): Promise<void> {
  const bench = await startBenchServer('sla');
  const db = new pg.Client({ connectionString: bench.databaseUrl });
  await db.connect();
  let stack: Awaited<ReturnType<typeof startTestStack>> | null = null;
  let pump: SlaTimerPump | null = null;
  try {
    await seed(db);
    // The services in this process, on the same database (as a worker would run them).
    stack = await startTestStack({ databaseUrl: bench.databaseUrl, demo: false });
    const services = stack.runtime.services;
    // What the workers' timer pump does after each pass: fold the board's count ledger.
    console.log(`folded ${await services.slaTimers.compactCounts()} count-ledger rows`);
    // The fold of a bulk load leaves 100,000 dead rows; autovacuum would clear them soon after.
    await db.query('vacuum analyze sla_state_deltas');
    await sqlTimings(db);
    const { url } = bench;
    const manager = new GraphQLTestClient(
      url,
      await new GraphQLTestClient(url).login('manager@demo.test', 'switchboard'),
    );
    const { slaBoard } = await manager.data<{ slaBoard: Record<string, number> }>(
      '{ slaBoard { ok warning breached paused } }',
    );
    console.log(`board counts: ${JSON.stringify(slaBoard)}`);
    console.log(
      `load average: ${(await import('node:os'))
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    await timeQueries(manager, BOARD, 'slaBoard (counts + 50 at risk, with Ticket.sla)');
    await timeQueries(manager, FULL_BOARD, 'slaBoard + breakdowns by agent/team/company + 30-day compliance');

    pureArithmetic();
    const { rows: sample } = await db.query<{ id: string; tenant_id: string }>(
      `select ticket_id::text as id, tenant_id::text from ticket_slas where state = 'OK' limit $1`,
      [RECOMPUTES],
    );
    const recompute: number[] = [];
    for (const row of sample) {
      const em = forTenant(services.orm.em, row.tenant_id);
      const start = performance.now();
      await em.transactional(async (tx) => {
        await tx.execute('select 1 from tickets where id = ? for update', [row.id]);
        const ticket = await tx.findOneOrFail(Ticket, row.id);
        await services.slaTracker.recompute(tx, ticket);
      });
      recompute.push(performance.now() - start);
    }
    console.log(
      `recompute one ticket's SLA in its transaction (lock + recompute + flush + NOTIFY) | p50 ${percentile(recompute, 50).toFixed(2)} ms | p99 ${percentile(recompute, 99).toFixed(2)} ms`,
    );

    // Timers: TIMERS tickets overdue at once, drained by two runners racing.
    await db.query(
      `update ticket_slas set clocks = jsonb_set(clocks, '{FIRST_RESPONSE,dueAt}', to_jsonb(now() - interval '1 minute')),
              next_check_at = now() - interval '1 minute'
       where id in (select id from ticket_slas where state = 'OK' and breached_at is null limit $1)`,
      [TIMERS],
    );
    const drainStart = performance.now();
    const drain = async () => {
      let fired = 0;
      for (;;) {
        const pass = await services.slaTimers.fireDue(100);
        fired += pass.fired;
        if (pass.checked === 0) return fired;
      }
    };
    const fired = (await Promise.all([drain(), drain()])).reduce((a, b) => a + b, 0);
    const seconds = (performance.now() - drainStart) / 1000;
    const { rows: doubles } = await db.query<{ n: number }>(
      `select count(*)::int as n from (select ticket_id from timeline_events where kind = 'SLA_BREACHED' group by ticket_id having count(*) > 1) d`,
    );
    console.log(
      `timers: ${fired} breaches recorded by two racing runners in ${seconds.toFixed(1)} s | ${(fired / seconds).toFixed(0)} per second | tickets with a doubled breach: ${doubles[0]!.n}`,
    );

    // Breach delay: real tickets on a 1-minute policy, the workers' pump + 2-second safety net.
    pump = new SlaTimerPump(services);
    pump.start();
    const safetyNet = setInterval(() => void pump?.wake(), 2_000);
    const admin = await stack.login('manager@demo.test');
    await admin.data('mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id } }', {
      input: {
        name: 'Bench one minute',
        isDefault: true,
        targets: [{ urgency: 'LOW', importance: 'LOW', firstResponseMinutes: 1, resolutionMinutes: 60 }],
      },
    });
    const agent = await stack.login('agent1@demo.test');
    const created: string[] = [];
    for (let i = 0; i < BREACHES; i++) {
      const { createTicket } = await agent.data<{ createTicket: { id: string } }>(
        'mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }',
        { input: { title: `Breach delay ${i}`, description: 'x', urgency: 'LOW', importance: 'LOW' } },
      );
      created.push(createTicket.id);
      await new Promise((resolve) => setTimeout(resolve, 10_000 / BREACHES));
    }
    const deadline = Date.now() + 120_000;
    let delays: number[] = [];
    while (Date.now() < deadline) {
      const { rows } = await db.query<{ ms: number }>(
        `select extract(epoch from (fired_at - due_at)) * 1000 as ms from sla_firings
         where kind = 'BREACH' and ticket_id = any($1::uuid[])`,
        [created],
      );
      delays = rows.map((r) => Number(r.ms));
      if (delays.length >= created.length) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    clearInterval(safetyNet);
    console.log(
      `breach recorded after its due time (${delays.length}/${created.length} tickets) | p50 ${percentile(delays, 50).toFixed(0)} ms | max ${Math.max(...delays).toFixed(0)} ms`,
    );
    const load = (await import('node:os')).loadavg().map((l) => l.toFixed(1));
    console.log(`load average: ${load.join(' ')}`);
  } finally {
    await pump?.stop();
    await stack?.close();
    await db.end();
    await bench.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
