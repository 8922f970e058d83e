// Fan-out of one ticket's events: N graphql-ws clients subscribed to ticketEvents of one ticket,
// an agent comments over HTTP, and we time the mutation's start to each client's receipt.
// Prints p50/p99 of "last client received" per round, of every receipt, and the API server's
// memory per open subscription. The API server runs in its own process on a PostgreSQL of its own.
// Run: pnpm bench:fanout        (SIZES=1,100,1000,5000 ROUNDS=20 by default)
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { sleep } from '../support/processes.js';
import { startBenchServer } from './api-server.js';
import { percentile, rssMiB } from './percentile.js';

const SIZES = (process.env.SIZES ?? '1,100,1000,5000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 20);

interface Subscriber {
  client: Client;
  received: Map<string, number>;
}

async function connect(url: string, token: string, ticketId: string): Promise<Subscriber> {
  const received = new Map<string, number>();
  const client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: 0,
  });
  await new Promise<void>((resolve, reject) => {
    let subscribed = false;
    client.on('connected', () => {
      if (subscribed) return;
      subscribed = true;
      client.subscribe<{ ticketEvents: { body: string | null } }>(
        { query: 'subscription($t: ID!) { ticketEvents(ticketId: $t) { id body } }', variables: { t: ticketId } },
        {
          next: (value) => {
            const body = value.data?.ticketEvents.body;
            if (body) received.set(body, performance.now());
          },
          error: reject,
          complete: () => undefined,
        },
      );
      // The server subscribes asynchronously; give it a moment before counting this client ready.
      setTimeout(resolve, 5);
    });
    client.on('error', reject);
  });
  return { client, received };
}

async function main(): Promise<void> {
  const bench = await startBenchServer('fanout');
  const { url } = bench;
  const server = bench.process;
  try {
    const agent1 = new GraphQLTestClient(
      url,
      await new GraphQLTestClient(url).login('agent1@demo.test', 'switchboard'),
    );
    const agent2Token = await new GraphQLTestClient(url).login('agent2@demo.test', 'switchboard');
    const { createTicket } = await agent1.data<{ createTicket: { id: string } }>(
      'mutation { createTicket(input: { title: "Fan-out", description: "bench" }) { id } }',
    );
    const ticketId = createTicket.id;
    console.log('subscribers | last receipt p50 | p99 | every receipt p50 | p99 | server RSS | per connection');
    for (const size of SIZES) {
      await sleep(500);
      const before = rssMiB(server.pid);
      const subscribers: Subscriber[] = [];
      for (let i = 0; i < size; i += 100) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(100, size - i) }, () => connect(url, agent2Token, ticketId)),
        );
        subscribers.push(...batch);
      }
      await sleep(1000);
      const after = rssMiB(server.pid);
      const lastReceipt: number[] = [];
      const everyReceipt: number[] = [];
      for (let round = 0; round < ROUNDS + 2; round++) {
        const body = `n${size}-r${round}-${Date.now()}`;
        const start = performance.now();
        await agent1.data(
          'mutation($t: ID!, $b: String!) { addComment(input: { ticketId: $t, body: $b, internal: false }) { id } }',
          {
            t: ticketId,
            b: body,
          },
        );
        const deadline = Date.now() + 30_000;
        while (subscribers.some((s) => !s.received.has(body)) && Date.now() < deadline) await sleep(2);
        const times = subscribers.map((s) => (s.received.get(body) ?? Infinity) - start);
        if (round < 2) continue; // warm-up
        lastReceipt.push(Math.max(...times));
        everyReceipt.push(...times);
      }
      const missing = everyReceipt.filter((t) => !Number.isFinite(t)).length;
      console.log(
        `${String(size).padStart(11)} | ${percentile(lastReceipt, 50).toFixed(1)} ms | ${percentile(lastReceipt, 99).toFixed(1)} ms | ` +
          `${percentile(everyReceipt, 50).toFixed(1)} ms | ${percentile(everyReceipt, 99).toFixed(1)} ms | ` +
          `${after.toFixed(0)} MiB | ${(((after - before) * 1024) / size).toFixed(1)} KiB` +
          (missing ? ` | ${missing} receipts MISSING` : ''),
      );
      await Promise.all(subscribers.map((s) => s.client.dispose()));
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
