// Throughput of an authenticated GraphQL query on a `pnpm start`-equivalent stack (API, workers
// and the embedded PostgreSQL in their own processes, on a fresh temporary DATA_DIR):
// autocannon, 50 connections for 10 s, POST /graphql `{ me { id email } }` with a demo agent's token.
// Run: pnpm bench:me   (CONNECTIONS=50 DURATION=10 by default)
import fs from 'node:fs';
import os from 'node:os';
import autocannon from 'autocannon';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { freePort, startApp, tempDir, waitForHealthy } from '../support/processes.js';
import { isPostgres, machine, treeCpuMs } from './stats.js';

const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const DURATION = Number(process.env.DURATION ?? 10);
const QUERY = '{ me { id email } }';

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}`);
  console.log(
    `Load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dataDir = tempDir('switchboard-bench-me-');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startApp('all', { env: { DATA_DIR: dataDir, PORT: String(port) } });
  try {
    await waitForHealthy(url, proc, 180_000);
    const token = await new GraphQLTestClient(url).login('agent1@demo.test', 'switchboard');
    const body = JSON.stringify({ query: QUERY });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const check = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
    const expectBody = await check.text();
    if (check.status !== 200 || !expectBody.includes('"email":"agent1@demo.test"')) {
      throw new Error(`unexpected answer ${check.status}: ${expectBody}`);
    }

    // Not measured: JIT and connection pools warm up.
    await autocannon({ url: `${url}/graphql`, method: 'POST', headers, body, connections: 10, duration: 3 });

    // One connection: the cost of one request without queueing.
    const single = await autocannon({
      url: `${url}/graphql`,
      method: 'POST',
      headers,
      body,
      connections: 1,
      duration: 5,
    });
    console.log(
      `1 connection, 5 s: ${single.requests.average.toFixed(0)} requests/s, p50 ${single.latency.p50} ms, p99 ${single.latency.p99} ms`,
    );

    const nodeCpuBefore = treeCpuMs(proc.pid, (p) => !isPostgres(p));
    const pgCpuBefore = treeCpuMs(proc.pid, isPostgres);
    const result = await autocannon({
      url: `${url}/graphql`,
      method: 'POST',
      headers,
      body,
      connections: CONNECTIONS,
      duration: DURATION,
      expectBody,
    });
    console.log(
      `Load average after: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const requests = result.requests.total;
    const nodeCpu = (treeCpuMs(proc.pid, (p) => !isPostgres(p)) - nodeCpuBefore) / requests;
    const pgCpu = (treeCpuMs(proc.pid, isPostgres) - pgCpuBefore) / requests;
    const ok = result.errors === 0 && result.timeouts === 0 && result.non2xx === 0 && result.mismatches === 0;
    console.log(`POST /graphql ${QUERY} — ${CONNECTIONS} connections, ${DURATION} s`);
    console.log(`  requests/s: average ${result.requests.average.toFixed(0)} (total ${result.requests.total})`);
    console.log(`  latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
    console.log(
      `  errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, wrong bodies ${result.mismatches}`,
    );
    console.log(`  CPU per request: Node ${nodeCpu.toFixed(1)} ms, PostgreSQL ${pgCpu.toFixed(1)} ms`);
    console.log(
      `\nRESULT ${JSON.stringify({
        singleRps: Math.round(single.requests.average),
        singleP50: single.latency.p50,
        rps: Math.round(result.requests.average),
        p50: result.latency.p50,
        p99: result.latency.p99,
        nodeCpuMsPerRequest: Number(nodeCpu.toFixed(2)),
        pgCpuMsPerRequest: Number(pgCpu.toFixed(2)),
        ok,
      })}`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    proc.signal('SIGTERM');
    await proc.waitForExit(30_000).catch(() => proc.destroy());
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
