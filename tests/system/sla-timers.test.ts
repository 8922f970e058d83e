// SLA timers across real worker processes: two workers fire the warnings, both are killed (no
// clean shutdown), two new ones start, and every breach is still recorded exactly once, with no
// warning repeated. A one-minute policy makes the breaches come due while this runs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import {
  destroyAll,
  freePort,
  sleep,
  startEntry,
  tempDir,
  waitForHealthy,
  type ManagedProcess,
} from '../support/processes.js';

const TICKETS = 8;

let db: pg.Client;
let dataDir: string;
let url: string;
let env: Record<string, string>;
let server: ManagedProcess;

function startWorker(name: string): ManagedProcess {
  return startEntry('workers/src/main.ts', { name, env });
}

async function count(kind: string, ids: string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ ticket_id: string; n: number }>(
    `select ticket_id::text, count(*)::int as n from timeline_events where kind = $1 and ticket_id = any($2::uuid[])
     group by ticket_id`,
    [kind, ids],
  );
  return new Map(rows.map((r) => [r.ticket_id, r.n]));
}

async function waitForAll(kind: string, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await count(kind, ids)).size < ids.length) {
    if (Date.now() > deadline) throw new Error(`not every ticket got ${kind} in time`);
    await sleep(500);
  }
}

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  dataDir = tempDir('switchboard-sla-timers-');
  env = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    SEED_DEMO: '1',
  };
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = startEntry('server/src/main.ts', { name: 'server', env: { ...env, PORT: String(port) } });
  await waitForHealthy(url, server);
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await db?.end();
  await destroyAll();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('SLA timers in worker processes', () => {
  it('record each warning and breach exactly once across a crash and restart of every worker', async () => {
    const anonymous = new GraphQLTestClient(url);
    const manager = new GraphQLTestClient(url, await anonymous.login('manager@demo.test', 'switchboard'));
    const agent = new GraphQLTestClient(url, await anonymous.login('agent1@demo.test', 'switchboard'));
    const firstWorkers = [startWorker('worker 1'), startWorker('worker 2')];
    await Promise.all(firstWorkers.map((w) => w.waitForOutput('Switchboard workers are running', 90_000)));
    await manager.data('mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id } }', {
      input: {
        name: 'One minute',
        isDefault: true,
        targets: [{ urgency: 'LOW', importance: 'LOW', firstResponseMinutes: 1, resolutionMinutes: 120 }],
      },
    });
    const ids: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const { createTicket } = await agent.data<{ createTicket: { id: string } }>(
        'mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }',
        { input: { title: `Timer ${i}`, description: 'x', urgency: 'LOW', importance: 'LOW' } },
      );
      ids.push(createTicket.id);
    }

    // Half-way, the warnings: then both workers die without a chance to clean up.
    await waitForAll('SLA_WARNING', ids, 90_000);
    await Promise.all(firstWorkers.map((w) => w.destroy()));
    const secondWorkers = [startWorker('worker 3'), startWorker('worker 4')];
    await Promise.all(secondWorkers.map((w) => w.waitForOutput('Switchboard workers are running', 90_000)));

    await waitForAll('SLA_BREACHED', ids, 120_000);
    // Give a doubled firing every chance to show up before counting.
    await sleep(5_000);
    const warnings = await count('SLA_WARNING', ids);
    const breaches = await count('SLA_BREACHED', ids);
    expect(ids.map((id) => warnings.get(id))).toEqual(ids.map(() => 1));
    expect(ids.map((id) => breaches.get(id))).toEqual(ids.map(() => 1));
    const { rows } = await db.query<{ ms: number }>(
      `select extract(epoch from (fired_at - due_at)) * 1000 as ms from sla_firings
       where kind = 'BREACH' and ticket_id = any($1::uuid[])`,
      [ids],
    );
    console.log(`breach delays after due time (ms): ${rows.map((r) => Math.round(Number(r.ms))).join(', ')}`);
    // The assignee-less tickets still show up as breached on the board.
    const { slaBoard } = await manager.data<{ slaBoard: { breached: number } }>('{ slaBoard { breached } }');
    expect(slaBoard.breached).toBeGreaterThanOrEqual(TICKETS);
    for (const worker of secondWorkers) worker.signal('SIGTERM');
    for (const worker of secondWorkers) expect((await worker.waitForExit(20_000)).code, worker.tail()).toBe(0);
  }, 360_000);
});
