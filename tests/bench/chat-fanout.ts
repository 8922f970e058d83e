// Team chat fan-out: one private channel with MEMBERS members (500 by default), each a different
// agent connected over graphql-ws and subscribed to chatEvents of the channel; an agent sends
// messages over HTTP and we time from the start of sendChatMessage to each member's receipt.
// Prints p50/p99 of every receipt and of the last member's receipt per message, the API server's
// CPU time per message, and a final RESULT line (JSON). The API server runs in its own process on
// a PostgreSQL of its own; the 500 clients run in this process on the same machine.
// Run: pnpm bench:chat      (MEMBERS=500 ROUNDS=30 by default)
import crypto from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { sleep } from '../support/processes.js';
import { startBenchServer } from './api-server.js';
import { percentile, rssMiB } from './percentile.js';
import { isPostgres, machine, treeCpuMs } from './stats.js';

const MEMBERS = Number(process.env.MEMBERS ?? 500);
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const WARM_UP = 3;

interface Member {
  client: Client;
  received: Map<string, number>;
}

const SUBSCRIPTION = `subscription($c: ID!) {
  chatEvents(channelId: $c) { kind message { id body createdAt author { id name } } }
}`;

/** MEMBERS agents with a session each, written straight into the database (signing in 500 times would only measure argon2). */
async function createAgents(databaseUrl: string, count: number): Promise<Array<{ id: string; token: string }>> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>("select id from tenants where slug = 'demo'");
    const tenantId = rows[0]!.id;
    const agents: Array<{ id: string; token: string }> = [];
    await db.query('begin');
    for (let i = 0; i < count; i++) {
      const id = crypto.randomUUID();
      const token = `sb_${crypto.randomBytes(32).toString('base64url')}`;
      await db.query(
        `insert into users (id, created_at, updated_at, tenant_id, email, name, role, active)
         values ($1, now(), now(), $2, $3, $4, 'AGENT', true)`,
        [id, tenantId, `bench-${i}@demo.test`, `Bench Agent ${i}`],
      );
      await db.query(
        `insert into sessions (id, created_at, updated_at, tenant_id, user_id, token_hash, expires_at)
         values ($1, now(), now(), $2, $3, $4, now() + interval '1 day')`,
        [crypto.randomUUID(), tenantId, id, crypto.createHash('sha256').update(token).digest('hex')],
      );
      agents.push({ id, token });
    }
    await db.query('commit');
    return agents;
  } finally {
    await db.end();
  }
}

async function connect(url: string, token: string, channelId: string): Promise<Member> {
  const received = new Map<string, number>();
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
  });
  await new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('error', reject);
  });
  client.subscribe<{ chatEvents: { kind: string; message: { body: string } | null } }>(
    { query: SUBSCRIPTION, variables: { c: channelId } },
    {
      next: (value) => {
        const body = value.data?.chatEvents.message?.body;
        if (body && value.data?.chatEvents.kind === 'MESSAGE_CREATED') received.set(body, performance.now());
      },
      error: (error) => console.error('subscription error', error),
      complete: () => undefined,
    },
  );
  return { client, received };
}

async function main(): Promise<void> {
  console.log(`machine: ${machine()}`);
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const bench = await startBenchServer('chat');
  const { url } = bench;
  try {
    const agents = await createAgents(bench.databaseUrl, MEMBERS);
    const sender = new GraphQLTestClient(
      url,
      await new GraphQLTestClient(url).login('agent1@demo.test', 'switchboard'),
    );
    const { createChannel } = await sender.data<{ createChannel: { id: string } }>(
      'mutation($input: CreateChannelInput!) { createChannel(input: $input) { id } }',
      { input: { name: 'fan-out', private: true, memberIds: agents.map((a) => a.id) } },
    );
    const channelId = createChannel.id;
    const rssBefore = rssMiB(bench.process.pid);
    const members: Member[] = [];
    for (let i = 0; i < agents.length; i += 50) {
      const batch = agents.slice(i, i + 50);
      members.push(...(await Promise.all(batch.map((agent) => connect(url, agent.token, channelId)))));
    }
    await sleep(1500); // subscriptions start asynchronously on the server
    const rssAfter = rssMiB(bench.process.pid);

    const every: number[] = [];
    const last: number[] = [];
    let missing = 0;
    let cpuMs = 0;
    const serverCpu = () => treeCpuMs(bench.process.pid, (p) => !isPostgres(p));
    for (let round = 0; round < ROUNDS + WARM_UP; round++) {
      await sleep(100);
      const body = `fan-out ${round} ${Date.now()}`;
      const cpuBefore = serverCpu();
      const start = performance.now();
      await sender.data('mutation($input: SendChatMessageInput!) { sendChatMessage(input: $input) { id } }', {
        input: { channelId, body },
      });
      const deadline = Date.now() + 30_000;
      while (members.some((m) => !m.received.has(body)) && Date.now() < deadline) await sleep(1);
      const times = members.map((m) => (m.received.get(body) ?? Infinity) - start);
      if (round < WARM_UP) continue;
      cpuMs += serverCpu() - cpuBefore;
      missing += times.filter((t) => !Number.isFinite(t)).length;
      const arrived = times.filter(Number.isFinite);
      every.push(...arrived);
      last.push(Math.max(...arrived));
    }
    const result = {
      members: MEMBERS,
      rounds: ROUNDS,
      everyReceiptP50: percentile(every, 50),
      everyReceiptP99: percentile(every, 99),
      lastReceiptP50: percentile(last, 50),
      lastReceiptP99: percentile(last, 99),
      missing,
      serverCpuMsPerMessage: cpuMs / ROUNDS,
      serverRssMiB: rssAfter,
      rssPerConnectionKiB: ((rssAfter - rssBefore) * 1024) / MEMBERS,
    };
    console.log(`members connected: ${members.length}, messages: ${ROUNDS} after ${WARM_UP} warm-up`);
    console.log(
      `every receipt:      p50 ${result.everyReceiptP50.toFixed(1)} ms, p99 ${result.everyReceiptP99.toFixed(1)} ms`,
    );
    console.log(
      `last member's:      p50 ${result.lastReceiptP50.toFixed(1)} ms, p99 ${result.lastReceiptP99.toFixed(1)} ms`,
    );
    console.log(`server CPU per message (API process, send + fan-out): ${result.serverCpuMsPerMessage.toFixed(1)} ms`);
    console.log(`server RSS ${rssAfter.toFixed(0)} MiB (${result.rssPerConnectionKiB.toFixed(0)} KiB per connection)`);
    if (missing) console.log(`MISSING receipts: ${missing}`);
    console.log(
      `load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    console.log(`RESULT ${JSON.stringify(result)}`);
    await Promise.all(members.map((m) => m.client.dispose()));
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
