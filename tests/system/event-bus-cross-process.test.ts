// Events cross real processes: two `start:server` processes and one `start:workers` process on one
// database, started at the same moment (so they also race to migrate and seed it).
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import {
  destroyAll,
  freePort,
  processTree,
  sleep,
  startEntry,
  stillRunning,
  tempDir,
  waitForHealthy,
  waitUntilGone,
  type ManagedProcess,
} from '../support/processes.js';

const CLOSE_SESSION_ENDED = 4401;

let databaseUrl: string;
let dataDir: string;
let db: pg.Client;
let serverA: { proc: ManagedProcess; url: string };
let serverB: { proc: ManagedProcess; url: string };
let workers: ManagedProcess;
const sockets: Client[] = [];

beforeAll(async () => {
  databaseUrl = await createTestDatabase();
  dataDir = tempDir('switchboard-bus-');
  const common = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    SEED_DEMO: '1',
  };
  const [portA, portB] = [await freePort(), await freePort()];
  // All three at once: each applies pending migrations (under an advisory lock) and seeds.
  const procA = startEntry('server/src/main.ts', { name: 'server A', env: { ...common, PORT: String(portA) } });
  const procB = startEntry('server/src/main.ts', { name: 'server B', env: { ...common, PORT: String(portB) } });
  workers = startEntry('workers/src/main.ts', {
    name: 'workers',
    env: { ...common, HOUSEKEEPING_INTERVAL: '2 seconds' },
  });
  serverA = { proc: procA, url: `http://127.0.0.1:${portA}` };
  serverB = { proc: procB, url: `http://127.0.0.1:${portB}` };
  await Promise.all([
    waitForHealthy(serverA.url, procA),
    waitForHealthy(serverB.url, procB),
    workers.waitForOutput('Switchboard workers are running', 90_000),
  ]);
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

afterAll(async () => {
  for (const socket of sockets) await socket.dispose();
  await db?.end();
  // Each process stops on its own on SIGTERM, with exit code 0.
  const procs = [serverA?.proc, serverB?.proc, workers].filter((p): p is ManagedProcess => !!p?.running);
  const trees = procs.flatMap((p) => processTree(p.pid));
  for (const p of procs) p.signal('SIGTERM');
  const exits = await Promise.all(procs.map((p) => p.waitForExit(15_000).catch((e: Error) => e)));
  await destroyAll();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  for (const [i, exit] of exits.entries()) {
    expect(exit instanceof Error ? exit.message : exit.code, procs[i]!.tail()).toBe(0);
  }
  expect(await waitUntilGone(() => stillRunning(trees), 2_000)).toEqual([]);
});

interface OpenSocket {
  client: Client;
  closed: Promise<{ code: number; reason: string }>;
  isClosed(): boolean;
}

/** A graphql-ws connection with a token; resolves once the server has acknowledged it. */
async function openSocket(baseUrl: string, token: string): Promise<OpenSocket> {
  let closedWith: { code: number; reason: string } | null = null;
  let onClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  let onConnected!: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    connectionParams: { authorization: `Bearer ${token}` },
    on: {
      connected: () => onConnected(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith = { code, reason };
        onClosed(closedWith);
      },
    },
  });
  sockets.push(client);
  const outcome = await Promise.race([
    connected.then(() => 'connected' as const),
    closed.then((c) => `closed ${c.code} ${c.reason}`),
    sleep(10_000).then(() => 'timed out' as const),
  ]);
  expect(outcome).toBe('connected');
  return { client, closed, isClosed: () => closedWith !== null };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    sleep(ms).then(() => {
      throw new Error(`${what}: nothing within ${ms} ms`);
    }),
  ]);
}

const tokenHash = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

describe('three processes started at once on one database', () => {
  it('migrated it once and seeded it once', async () => {
    const { rows: dupes } = await db.query(
      'select name, count(*)::int from mikro_orm_migrations group by name having count(*) > 1',
    );
    expect(dupes).toEqual([]);
    const { rows } = await db.query<{ migrations: number; tenants: number; admins: number }>(
      `select (select count(*)::int from mikro_orm_migrations) as migrations,
              (select count(*)::int from tenants) as tenants,
              (select count(*)::int from users where email = 'admin@demo.test') as admins`,
    );
    expect(rows[0]!.migrations).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toMatchObject({ tenants: 2, admins: 1 });
    const outputs = [serverA.proc, serverB.proc, workers].map((p) => p.output());
    expect(outputs.filter((o) => o.includes('applying migrations'))).toHaveLength(1);
    expect(outputs.filter((o) => o.includes('seeded the demo tenants'))).toHaveLength(1);
  });
});

describe('server → server', () => {
  it('logout on server A closes that session’s socket on server B with 4401, and only that one', async () => {
    const agent1 = await new GraphQLTestClient(serverA.url).login('agent1@demo.test', 'switchboard');
    const bystander = await new GraphQLTestClient(serverA.url).login('agent2@demo.test', 'switchboard');
    const onB = await openSocket(serverB.url, agent1);
    const otherOnB = await openSocket(serverB.url, bystander);

    const logout = await new GraphQLTestClient(serverA.url, agent1).data<{ logout: boolean }>('mutation { logout }');
    expect(logout.logout).toBe(true);

    const closed = await within(onB.closed, 5_000, 'socket on B');
    expect(closed).toEqual({ code: CLOSE_SESSION_ENDED, reason: 'Session revoked' });
    await sleep(300);
    expect(otherOnB.isClosed()).toBe(false);
    const me = await new GraphQLTestClient(serverB.url, agent1).request('{ me { id } }');
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('worker → servers', () => {
  it('the housekeeping job purges a session that has ended and its sockets close on every server', async () => {
    const token = await new GraphQLTestClient(serverB.url).login('manager@demo.test', 'switchboard');
    const onA = await openSocket(serverA.url, token);
    const onB = await openSocket(serverB.url, token);
    const hash = tokenHash(token);
    const { rows } = await db.query<{ id: string }>('select id from sessions where token_hash = $1', [hash]);
    expect(rows).toHaveLength(1);

    // The session ends in the database (as if its lifetime had been shortened). The sockets were
    // opened with the old expiry, so their own timers would not close them for two weeks: only
    // the worker's event can.
    await db.query(`update sessions set expires_at = now() - interval '1 second' where id = $1`, [rows[0]!.id]);

    const [closedA, closedB] = await within(Promise.all([onA.closed, onB.closed]), 15_000, 'sockets on A and B');
    expect(closedA).toEqual({ code: CLOSE_SESSION_ENDED, reason: 'Session revoked' });
    expect(closedB).toEqual({ code: CLOSE_SESSION_ENDED, reason: 'Session revoked' });
    const { rows: left } = await db.query('select 1 from sessions where id = $1', [rows[0]!.id]);
    expect(left).toEqual([]);
    await workers.waitForOutput('purged expired sessions', 5_000);
  });

  it('a session that expires by itself is purged by the worker within a few seconds', async () => {
    const token = await new GraphQLTestClient(serverA.url).login('agent1@demo.test', 'switchboard');
    const hash = tokenHash(token);
    await db.query(`update sessions set expires_at = now() + interval '3 seconds' where token_hash = $1`, [hash]);
    const onB = await openSocket(serverB.url, token);
    const closed = await within(onB.closed, 10_000, 'socket on B');
    expect(closed.code).toBe(CLOSE_SESSION_ENDED);
    const deadline = Date.now() + 10_000;
    let count = 1;
    while (count > 0 && Date.now() < deadline) {
      await sleep(200);
      count = (await db.query('select 1 from sessions where token_hash = $1', [hash])).rowCount ?? 0;
    }
    expect(count).toBe(0);
  });
});
