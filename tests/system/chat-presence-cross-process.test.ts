// Team chat presence and messages across two API server processes on one database: an agent who
// heartbeats on server A shows as online, away and offline to a colleague subscribed on server B,
// and a tab that stops heartbeating is swept (by whichever server gets there first) and goes offline.
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/database.js';
import { GraphQLTestClient, subscribe } from '../support/graphql-client.js';
import {
  destroyAll,
  freePort,
  sleep,
  startEntry,
  tempDir,
  waitForHealthy,
  type ManagedProcess,
} from '../support/processes.js';

let dataDir: string;
let db: pg.Client;
const servers: Array<{ proc: ManagedProcess; url: string }> = [];

beforeAll(async () => {
  const databaseUrl = await createTestDatabase();
  dataDir = tempDir('switchboard-chat-presence-');
  const common = {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SECRET_KEY: crypto.randomBytes(32).toString('base64'),
    SEED_DEMO: '1',
  };
  for (const name of ['A', 'B']) {
    const port = await freePort();
    const proc = startEntry('server/src/main.ts', { name: `server ${name}`, env: { ...common, PORT: String(port) } });
    servers.push({ proc, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all(servers.map((s) => waitForHealthy(s.url, s.proc)));
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  for (const server of servers) if (server.proc.running) server.proc.signal('SIGTERM');
  await Promise.all(servers.map((s) => s.proc.waitForExit(15_000).catch(() => undefined)));
  await destroyAll();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

type PresenceEvent = { teamPresenceEvents: { status: string; user: { email: string } } };

async function login(url: string, email: string): Promise<GraphQLTestClient> {
  return new GraphQLTestClient(url, await new GraphQLTestClient(url).login(email, 'switchboard'));
}

describe('team chat across two API servers', () => {
  it('shows presence reported on server A to a subscriber on server B, and sweeps a silent tab', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const samOnA = await login(a.url, 'agent2@demo.test');
    const alexOnB = await login(b.url, 'agent1@demo.test');
    const ws = alexOnB.ws();
    const sub = subscribe<PresenceEvent>(ws, 'subscription { teamPresenceEvents { status user { email } } }');
    await sleep(500);
    const statusOnB = async () =>
      (
        await alexOnB.data<{ teamPresence: Array<{ status: string; user: { email: string } }> }>(
          '{ teamPresence { status user { email } } }',
        )
      ).teamPresence.find((p) => p.user.email === 'agent2@demo.test')?.status;
    expect(await statusOnB()).toBe('OFFLINE');

    const report = (away: boolean) =>
      samOnA.data('mutation($a: Boolean!) { reportChatPresence(connectionId: "sam-on-server-a", away: $a) }', {
        a: away,
      });
    await report(false);
    expect((await sub.next()).data?.teamPresenceEvents).toEqual({
      status: 'ONLINE',
      user: { email: 'agent2@demo.test' },
    });
    expect(await statusOnB()).toBe('ONLINE');
    await report(true);
    expect((await sub.next()).data?.teamPresenceEvents.status).toBe('AWAY');

    // The tab goes silent (its browser crashed): its heartbeat expires and a server sweeps it.
    await db.query(
      `update chat_presence set expires_at = now() - interval '1 second' where connection_id = 'sam-on-server-a'`,
    );
    expect((await sub.next(15_000)).data?.teamPresenceEvents.status).toBe('OFFLINE');
    expect(await statusOnB()).toBe('OFFLINE');
    const { rows } = await db.query(`select 1 from chat_presence where connection_id = 'sam-on-server-a'`);
    expect(rows).toEqual([]);
    sub.dispose();
    await ws.dispose();
  });

  it('delivers a message sent on server A to a member subscribed on server B, with typing', async () => {
    const [a, b] = servers as [(typeof servers)[0], (typeof servers)[0]];
    const alexOnA = await login(a.url, 'agent1@demo.test');
    const samOnB = await login(b.url, 'agent2@demo.test');
    const { channels } = await samOnB.data<{ channels: Array<{ id: string; name: string }> }>(
      '{ channels { id name } }',
    );
    const general = channels.find((c) => c.name === 'general')!;
    const ws = samOnB.ws();
    const sub = subscribe<{
      chatEvents: { kind: string; user: { email: string } | null; message: { body: string } | null };
    }>(ws, 'subscription($c: ID!) { chatEvents(channelId: $c) { kind user { email } message { body } } }', {
      c: general.id,
    });
    await sleep(500);
    await alexOnA.data('mutation($c: ID!) { reportChatTyping(channelId: $c) }', { c: general.id });
    expect((await sub.next()).data?.chatEvents).toEqual({
      kind: 'TYPING',
      user: { email: 'agent1@demo.test' },
      message: null,
    });
    await alexOnA.data(
      'mutation($c: ID!) { sendChatMessage(input: { channelId: $c, body: "From server A" }) { id } }',
      {
        c: general.id,
      },
    );
    expect((await sub.next()).data?.chatEvents).toMatchObject({
      kind: 'MESSAGE_CREATED',
      message: { body: 'From server A' },
    });
    sub.dispose();
    await ws.dispose();
  });
});
