// Agenda on PostgreSQL (the default: one database for everything) or MongoDB when MONGODB_URL is set.
import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import pg from 'pg';
import type { Runtime } from '@switchboard/server/app/runtime.js';
import { childLogger } from '@switchboard/server/lib/logger.js';

const log = childLogger('scheduler');

export interface Scheduler {
  agenda: Agenda;
  stop(): Promise<void>;
}

async function createBackend(
  runtime: Runtime,
): Promise<{ backend: ConstructorParameters<typeof Agenda>[0]['backend']; close(): Promise<void> }> {
  const mongoUrl = runtime.env.MONGODB_URL;
  if (mongoUrl) {
    const { MongoBackend } = await import('@agendajs/mongo-backend');
    const backend = new MongoBackend({ address: mongoUrl, collection: 'agendaJobs' });
    return { backend, close: async () => undefined };
  }
  const pool = new pg.Pool({ connectionString: runtime.databaseUrl, max: 5 });
  pool.on('error', (error) => log.warn({ err: error.message }, 'job store connection error'));
  const backend = new PostgresBackend({ pool });
  return { backend, close: () => pool.end() };
}

/**
 * Agenda connects its backend from its constructor and does not handle a failure: a database that
 * drops at that moment (a restart, a network cut) would end the whole process with an unhandled
 * rejection. Retry instead, like the runtime does for the ORM.
 */
function retryConnect(backend: { connect(): Promise<void> }): void {
  const connect = backend.connect.bind(backend);
  backend.connect = async () => {
    for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
      try {
        return await connect();
      } catch (error) {
        log.warn({ err: (error as Error).message, retryInMs: delay }, 'job store not reachable; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };
}

export async function startScheduler(
  runtime: Runtime,
  register: (agenda: Agenda) => Promise<void>,
): Promise<Scheduler> {
  const { backend, close } = await createBackend(runtime);
  retryConnect(backend as unknown as { connect(): Promise<void> });
  const agenda = new Agenda({
    backend,
    name: `switchboard-${process.pid}`,
    processEvery: runtime.env.JOB_POLL_INTERVAL,
    defaultLockLifetime: 60_000,
  });
  agenda.on('error', (error: Error) => log.warn({ err: error.message }, 'job store error'));
  const channel = (backend as { notificationChannel?: { on?(event: string, fn: (e: Error) => void): void } })
    .notificationChannel;
  channel?.on?.('error', (error) => log.warn({ err: error.message }, 'job notification channel error'));
  await register(agenda);
  await agenda.start();
  return {
    agenda,
    stop: async () => {
      await agenda.stop();
      await close();
    },
  };
}
