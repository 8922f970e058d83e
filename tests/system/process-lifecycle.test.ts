// The zero-setup command as a user runs it: `pnpm start` (= `node scripts/start.mjs all`) on a
// DATA_DIR of its own, then signals, restarts on the same data, hard kills and an absent database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import {
  describeProcesses,
  destroyAll,
  freePort,
  healthz,
  isPortOpen,
  processesMentioning,
  processTree,
  procInfo,
  sleep,
  startApp,
  stillRunning,
  tempDir,
  waitForHealthy,
  waitUntilGone,
  type ManagedProcess,
  type ProcInfo,
} from '../support/processes.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

const dirs: string[] = [];
let proxy: TcpProxy | undefined;

afterEach(async () => {
  await destroyAll();
  await proxy?.close();
  proxy = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = tempDir('switchboard-lifecycle-');
  dirs.push(dir);
  return dir;
}

interface Run {
  proc: ManagedProcess;
  port: number;
  url: string;
  /** The process tree while healthy: the start script, the app, the postmaster and its children. */
  tree: ProcInfo[];
}

/** `pnpm start` on dataDir, until /healthz says ok. */
async function startAll(dataDir: string): Promise<Run> {
  const port = await freePort();
  const proc = startApp('all', { env: { DATA_DIR: dataDir, PORT: String(port) } });
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(url, proc);
  await proc.waitForOutput(`Switchboard is ready at http://localhost:${port}`, 10_000);
  return { proc, port, url, tree: processTree(proc.pid) };
}

/** What still runs of a run: anything recorded while it was up, or naming its DATA_DIR. */
function leftovers(run: Run, dataDir: string): ProcInfo[] {
  const byPid = new Map<number, ProcInfo>();
  for (const p of [...stillRunning(run.tree), ...processesMentioning(dataDir)]) byPid.set(p.pid, p);
  return [...byPid.values()];
}

async function expectNothingLeft(run: Run, dataDir: string): Promise<void> {
  const left = await waitUntilGone(() => leftovers(run, dataDir), 2_000);
  expect(left, `processes left running:\n${describeProcesses(left)}`).toEqual([]);
  expect(await isPortOpen(run.port)).toBe(false);
  // PostgreSQL removes its pid file on a clean shutdown.
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
}

async function stopCleanly(run: Run, dataDir: string, send: (proc: ManagedProcess) => void): Promise<void> {
  send(run.proc);
  const exit = await run.proc.waitForExit(15_000);
  expect({ code: exit.code, signal: exit.signal }, run.proc.tail()).toEqual({ code: 0, signal: null });
  expect(exit.ms, 'shutdown should take a few seconds at most').toBeLessThan(8_000);
  await expectNothingLeft(run, dataDir);
}

/** Connects to the embedded cluster of dataDir while it runs (the port is in postmaster.pid). */
async function queryEmbedded<T extends pg.QueryResultRow>(dataDir: string, sql: string): Promise<T[]> {
  const lines = fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(lines[3]),
    user: 'switchboard',
    password: 'switchboard',
    database: 'switchboard',
  });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function me(url: string, token: string): Promise<string | undefined> {
  const res = await new GraphQLTestClient(url, token).request<{ me: { email: string } }>('{ me { email } }');
  return res.data?.me.email;
}

const INITDB_LOG = 'initialising a new PostgreSQL cluster';
const SEED_LOG = 'seeded the demo tenants';

describe('pnpm start: healthy, then a signal stops everything', () => {
  const cases: Array<[string, (proc: ManagedProcess) => void]> = [
    ['SIGTERM to the start process', (proc) => proc.signal('SIGTERM')],
    ['SIGINT to the start process', (proc) => proc.signal('SIGINT')],
    ['Ctrl-C: SIGINT to the whole process group, PostgreSQL included', (proc) => proc.signalGroup('SIGINT')],
  ];
  it.each(cases)('%s', { timeout: 180_000 }, async (_name, send) => {
    const dataDir = newDataDir();
    const run = await startAll(dataDir);
    expect(await healthz(run.url)).toEqual({ status: 200, body: { status: 'ok' } });
    // The tree really holds the app and its PostgreSQL, so "nothing left" below means something.
    expect(run.tree.some((p) => p.cmdline.includes(path.join(dataDir, 'pg')))).toBe(true);
    expect(run.tree.length).toBeGreaterThanOrEqual(3);
    expect(run.proc.output()).toContain(INITDB_LOG);
    await stopCleanly(run, dataDir, send);
  });
});

describe('pnpm start when its PostgreSQL dies', () => {
  it('answers 503, and SIGTERM still runs every shutdown step and exits 0', { timeout: 180_000 }, async () => {
    const dataDir = newDataDir();
    const run = await startAll(dataDir);
    const postmaster = run.tree.find((p) => p.cmdline.includes('postgres') && p.cmdline.includes(' -D '));
    expect(postmaster).toBeDefined();
    process.kill(postmaster!.pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while ((await healthz(run.url))?.status !== 503 && Date.now() < deadline) await sleep(100);
    expect(await healthz(run.url)).toMatchObject({ status: 503 });

    run.proc.signal('SIGTERM');
    const exit = await run.proc.waitForExit(15_000);
    expect({ code: exit.code, signal: exit.signal }, run.proc.tail()).toEqual({ code: 0, signal: null });
    expect(exit.ms).toBeLessThan(8_000);
    // The last step (stopping PostgreSQL, already gone) finished: the shutdown did not just stall.
    expect(run.proc.output()).toContain('"msg":"stopped"');
    const left = await waitUntilGone(() => leftovers(run, dataDir), 2_000);
    expect(left, describeProcesses(left)).toEqual([]);
  });
});

describe('pnpm start again on the same DATA_DIR', () => {
  it(
    'reuses the cluster and its data: sessions survive, the demo data is not seeded twice',
    { timeout: 180_000 },
    async () => {
      const dataDir = newDataDir();
      const first = await startAll(dataDir);
      expect(first.proc.output()).toContain(INITDB_LOG);
      expect(first.proc.output()).toContain(SEED_LOG);
      const token = await new GraphQLTestClient(first.url).login('agent1@demo.test', 'switchboard');
      expect(await me(first.url, token)).toBe('agent1@demo.test');
      const [{ created } = { created: '' }] = await queryEmbedded<{ created: string }>(
        dataDir,
        `select pg_postmaster_start_time()::text as created`,
      );
      const keyFile = fs.readFileSync(path.join(dataDir, 'secret.key'));
      await stopCleanly(first, dataDir, (proc) => proc.signal('SIGTERM'));

      const second = await startAll(dataDir);
      expect(second.proc.output()).not.toContain(INITDB_LOG);
      expect(second.proc.output()).not.toContain(SEED_LOG);
      expect(await me(second.url, token)).toBe('agent1@demo.test');
      const counts = await queryEmbedded<{ tenants: number; admins: number; sessions: number; migrations: number }>(
        dataDir,
        `select (select count(*)::int from tenants) as tenants,
              (select count(*)::int from users where email = 'admin@demo.test') as admins,
              (select count(*)::int from sessions) as sessions,
              (select count(*)::int from mikro_orm_migrations) as migrations`,
      );
      expect(counts[0]).toMatchObject({ tenants: 2, admins: 1, sessions: 1 });
      expect(counts[0]!.migrations).toBeGreaterThanOrEqual(1);
      const [{ created: restarted } = { created: '' }] = await queryEmbedded<{ created: string }>(
        dataDir,
        `select pg_postmaster_start_time()::text as created`,
      );
      expect(restarted).not.toBe(created); // a new postmaster on the same cluster
      expect(fs.readFileSync(path.join(dataDir, 'secret.key'))).toEqual(keyFile);
      await stopCleanly(second, dataDir, (proc) => proc.signal('SIGINT'));
    },
  );
});

describe('crash recovery', () => {
  async function crashThenRestart(kill: (run: Run) => Promise<ProcInfo | null>): Promise<void> {
    const dataDir = newDataDir();
    const first = await startAll(dataDir);
    const token = await new GraphQLTestClient(first.url).login('agent2@demo.test', 'switchboard');
    const orphan = await kill(first);
    await first.proc.exited;
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(true);

    const second = await startAll(dataDir);
    expect(second.proc.output()).not.toContain(INITDB_LOG);
    expect(await me(second.url, token)).toBe('agent2@demo.test');
    if (orphan) {
      expect(second.proc.output()).toContain('stopping a PostgreSQL left running by an earlier run');
      expect(stillRunning([orphan]), 'the orphaned postmaster should have been stopped').toEqual([]);
    }
    await stopCleanly(second, dataDir, (proc) => proc.signal('SIGTERM'));
    const left = await waitUntilGone(() => stillRunning(first.tree), 2_000);
    expect(left, describeProcesses(left)).toEqual([]);
  }

  it(
    'kill -9 of the node processes only leaves an orphaned postmaster; the next start takes over',
    { timeout: 180_000 },
    async () => {
      await crashThenRestart(async (run) => {
        const nodes = run.tree.filter((p) => !p.cmdline.includes('postgres'));
        const postmaster = run.tree.find((p) => p.cmdline.includes('postgres') && p.cmdline.includes(' -D '));
        expect(nodes.length).toBeGreaterThanOrEqual(2); // the start script and the app
        expect(postmaster).toBeDefined();
        for (const p of nodes) process.kill(p.pid, 'SIGKILL');
        await waitUntilGone(() => stillRunning(nodes), 5_000);
        await sleep(500);
        // The postmaster outlives its parent.
        const now = procInfo(postmaster!.pid);
        expect(now?.startTime).toBe(postmaster!.startTime);
        expect(stillRunning([postmaster!])).toHaveLength(1);
        return postmaster!;
      });
    },
  );

  it('kill -9 of everything leaves a stale postmaster.pid; the next start recovers', { timeout: 180_000 }, async () => {
    await crashThenRestart(async (run) => {
      for (const p of run.tree) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      const left = await waitUntilGone(() => stillRunning(run.tree), 10_000);
      expect(left, describeProcesses(left)).toEqual([]);
      return null;
    });
  });
});

describe('start:server with DATABASE_URL', () => {
  it(
    'stays up answering 503 while the database does not answer, then 200 once it does',
    { timeout: 180_000 },
    async () => {
      const realUrl = await createTestDatabase();
      const databaseUrl = new URL(realUrl);
      const target = { host: databaseUrl.hostname, port: Number(databaseUrl.port) };
      const dbPort = await freePort(); // nothing listens here yet
      databaseUrl.hostname = '127.0.0.1';
      databaseUrl.port = String(dbPort);
      const port = await freePort();
      const dataDir = newDataDir();
      const proc = startApp('server', {
        env: {
          DATA_DIR: dataDir,
          PORT: String(port),
          DATABASE_URL: databaseUrl.toString(),
          SECRET_KEY: crypto.randomBytes(32).toString('base64'),
        },
      });
      const url = `http://127.0.0.1:${port}`;

      const deadline = Date.now() + 60_000;
      let first = await healthz(url);
      while (!first && Date.now() < deadline && proc.running) {
        await sleep(100);
        first = await healthz(url);
      }
      expect(first?.status, proc.tail()).toBe(503);
      // It keeps retrying rather than giving up.
      for (let i = 0; i < 4; i++) {
        await sleep(1_000);
        expect(proc.running, proc.tail()).toBe(true);
        expect((await healthz(url))?.status).toBe(503);
      }
      expect(proc.output()).toContain('database not ready; retrying');

      proxy = await startTcpProxy(dbPort, target);
      const waited = await waitForHealthy(url, proc, 30_000);
      expect(waited).toBeLessThan(30_000);
      expect(await new GraphQLTestClient(url).data('{ __typename }')).toEqual({ __typename: 'Query' });
      // Applied its migrations to that database, in the same process (no restart).
      const check = new pg.Client({ connectionString: realUrl });
      await check.connect();
      const { rows } = await check.query<{ n: number }>('select count(*)::int as n from mikro_orm_migrations');
      await check.end();
      expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
      expect(proc.running).toBe(true);

      const tree = processTree(proc.pid);
      proc.signal('SIGTERM');
      const exit = await proc.waitForExit(15_000);
      expect({ code: exit.code, signal: exit.signal }, proc.tail()).toEqual({ code: 0, signal: null });
      expect(await waitUntilGone(() => stillRunning(tree), 2_000)).toEqual([]);
    },
  );
});

describe('pnpm start with DATABASE_URL: the database drops and comes back', () => {
  /** Waits until the app LISTENs for events again on that database (its listener reconnected). */
  async function waitForEventListener(realUrl: string, timeoutMs: number): Promise<void> {
    const client = new pg.Client({ connectionString: realUrl });
    await client.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rowCount } = await client.query(
          `select 1 from pg_stat_activity
            where datname = current_database() and state = 'idle' and query ilike 'listen switchboard_events%'`,
        );
        if (rowCount) return;
        if (Date.now() > deadline) throw new Error('the event listener did not come back');
        await sleep(100);
      }
    } finally {
      await client.end();
    }
  }

  it(
    'survives a cut while it starts and while it runs; 503 meanwhile, then healthy, events flow again',
    { timeout: 180_000 },
    async () => {
      const realUrl = await createTestDatabase();
      const databaseUrl = new URL(realUrl);
      const target = { host: databaseUrl.hostname, port: Number(databaseUrl.port) };
      const dbPort = await freePort();
      databaseUrl.hostname = '127.0.0.1';
      databaseUrl.port = String(dbPort);
      proxy = await startTcpProxy(dbPort, target);
      const port = await freePort();
      const proc = startApp('all', {
        env: {
          DATA_DIR: newDataDir(),
          PORT: String(port),
          DATABASE_URL: databaseUrl.toString(),
          SECRET_KEY: crypto.randomBytes(32).toString('base64'),
          SEED_DEMO: '1',
        },
      });
      const url = `http://127.0.0.1:${port}`;

      // 1. Cut while the workers connect their job store (right after the demo seed).
      while (!proc.output().includes(SEED_LOG)) {
        if (!proc.running) throw new Error(proc.tail());
        await sleep(2);
      }
      await proxy.close();
      await sleep(2_000);
      expect(proc.running, proc.tail()).toBe(true);
      proxy = await startTcpProxy(dbPort, target);
      await waitForHealthy(url, proc, 30_000);
      await proc.waitForOutput('workers started', 30_000);

      // 2. Cut while it runs.
      await proxy.close();
      await sleep(2_000);
      expect(proc.running, proc.tail()).toBe(true);
      expect(await healthz(url)).toMatchObject({ status: 503 });
      proxy = await startTcpProxy(dbPort, target);
      await waitForHealthy(url, proc, 30_000);

      // Events still reach sockets: a logout closes the session's socket.
      await waitForEventListener(realUrl, 30_000);
      const token = await new GraphQLTestClient(url).login('agent1@demo.test', 'switchboard');
      const closed = new Promise<number>((resolve) => {
        const socket = createClient({
          url: `ws://127.0.0.1:${port}/graphql`,
          webSocketImpl: WebSocket,
          lazy: false,
          retryAttempts: 0,
          onNonLazyError: () => undefined,
          connectionParams: { authorization: `Bearer ${token}` },
          on: {
            connected: () => {
              void new GraphQLTestClient(url, token).data('mutation { logout }');
            },
            closed: (event) => {
              resolve((event as { code: number }).code);
              void socket.dispose();
            },
          },
        });
      });
      expect(await Promise.race([closed, sleep(10_000).then(() => 'timed out')])).toBe(4401);

      const tree = processTree(proc.pid);
      proc.signal('SIGTERM');
      const exit = await proc.waitForExit(15_000);
      expect({ code: exit.code, signal: exit.signal }, proc.tail()).toEqual({ code: 0, signal: null });
      expect(await waitUntilGone(() => stillRunning(tree), 2_000)).toEqual([]);
    },
  );
});
