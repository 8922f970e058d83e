// The inbox's first page at 100,000 tickets in one tenant: POST /graphql `tickets(filter, first: 25)`
// as an agent, one request at a time, p50/p99 over REQUESTS requests per variant.
// Run: pnpm bench:inbox      (TICKETS=100000 REQUESTS=300 by default)
import pg from 'pg';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { startBenchServer } from './api-server.js';
import { percentile } from './percentile.js';

const TICKETS = Number(process.env.TICKETS ?? 100_000);
const REQUESTS = Number(process.env.REQUESTS ?? 300);

const PAGE = `query($f: TicketFilter, $s: TicketSort, $count: Boolean!) {
  tickets(filter: $f, first: 25, sort: $s) {
    totalCount @include(if: $count)
    nodes { id number title status urgency importance tags createdAt lastActivityAt assignee { id name } requester { id name email } }
    pageInfo { endCursor hasNextPage }
  }
}`;

const VARIANTS: Array<{ name: string; variables: Record<string, unknown> }> = [
  {
    name: 'open statuses, newest first',
    variables: { f: { status: ['NEW', 'OPEN', 'PENDING_CUSTOMER'] }, s: 'NEWEST' },
  },
  { name: 'status OPEN, newest first', variables: { f: { status: ['OPEN'] }, s: 'NEWEST' } },
  { name: 'everything, recent activity', variables: { f: {}, s: 'RECENT_ACTIVITY' } },
  { name: 'open, by priority', variables: { f: { status: ['OPEN'] }, s: 'PRIORITY' } },
  { name: 'full-text search "printer"', variables: { f: { query: 'printer' }, s: 'NEWEST' } },
];

async function seedTickets(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = Date.now();
    await client.query(
      `with demo as (select id from tenants where slug = 'demo'),
            people as (select array_agg(id) as ids from users where tenant_id = (select id from demo) and role <> 'CUSTOMER'),
            customers as (select array_agg(id) as ids from users where tenant_id = (select id from demo) and role = 'CUSTOMER')
       insert into tickets (id, created_at, updated_at, tenant_id, number, title, description, status, urgency, importance,
                            issue_type, tags, requester_id, assignee_id, last_activity_at)
       select gen_random_uuid(), now() - (n || ' minutes')::interval, now(), (select id from demo), 1000 + n,
              (array['Printer offline','Cannot log in','Invoice question','Refund request','Feature idea'])[1 + n % 5] || ' ' || n,
              'Generated ticket ' || n || ' about ' || (array['printer','login','invoice','refund','idea'])[1 + n % 5],
              (array['NEW','OPEN','OPEN','PENDING_CUSTOMER','RESOLVED','CLOSED','CLOSED'])[1 + n % 7]::ticket_status,
              (array['CRITICAL','HIGH','MEDIUM','LOW'])[1 + n % 4]::level,
              (array['CRITICAL','HIGH','MEDIUM','LOW'])[1 + (n / 4) % 4]::level,
              'Question', array['bench'], (select ids[1] from customers),
              (select ids[1 + n % array_length(ids, 1)] from people),
              now() - ((n * 7) % 100000 || ' minutes')::interval
       from generate_series(1, $1::int) as n`,
      [TICKETS],
    );
    await client.query(`update tenants set next_ticket_number = 1001 + $1::int where slug = 'demo'`, [TICKETS]);
    await client.query('analyze tickets');
    console.log(`seeded ${TICKETS} tickets in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const bench = await startBenchServer('inbox');
  const { url } = bench;
  try {
    await seedTickets(bench.databaseUrl);
    const agent = new GraphQLTestClient(url, await new GraphQLTestClient(url).login('agent1@demo.test', 'switchboard'));
    console.log(`variant | p50 | p99 | totalCount`);
    const withCount = VARIANTS.map((v) => ({ ...v, variables: { ...v.variables, count: true } }));
    const pageOnly = VARIANTS.slice(0, 2).map((v) => ({
      name: `${v.name}, page only (no totalCount)`,
      variables: { ...v.variables, count: false },
    }));
    for (const variant of [...withCount, ...pageOnly]) {
      for (let i = 0; i < 20; i++) await agent.data(PAGE, variant.variables); // warm-up
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < REQUESTS; i++) {
        const start = performance.now();
        const data = await agent.data<{ tickets: { totalCount?: number } }>(PAGE, variant.variables);
        times.push(performance.now() - start);
        total = data.tickets.totalCount ?? 0;
      }
      console.log(
        `${variant.name} | ${percentile(times, 50).toFixed(1)} ms | ${percentile(times, 99).toFixed(1)} ms | ${total}`,
      );
    }
  } finally {
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
