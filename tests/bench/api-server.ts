// An API server process (`pnpm start:server`) on a PostgreSQL of its own, with the demo data: what
// the server-side benchmarks measure against.
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres.js';
import { freePort, startEntry, tempDir, waitForHealthy, type ManagedProcess } from '../support/processes.js';

export interface BenchServer {
  url: string;
  databaseUrl: string;
  process: ManagedProcess;
  stop(): Promise<void>;
}

export async function startBenchServer(name: string): Promise<BenchServer> {
  const db = await startEmbeddedPostgres(tempDir(`switchboard-bench-${name}-pg-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const server = startEntry('server/src/main.ts', {
    env: {
      DATABASE_URL: db.url,
      SEED_DEMO: '1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATA_DIR: tempDir(`switchboard-bench-${name}-`),
    },
  });
  try {
    await waitForHealthy(url, server, 120_000);
  } catch (error) {
    await server.destroy();
    await db.stop();
    throw error;
  }
  return {
    url,
    databaseUrl: db.url,
    process: server,
    async stop() {
      server.signal('SIGTERM');
      await server.waitForExit(20_000).catch(() => server.destroy());
      await db.stop();
    },
  };
}
