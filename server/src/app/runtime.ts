// Boots what every process needs: configuration, the database (embedded or external), migrations,
// the event bus and the services. API servers and workers both start from here.
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { env, repoRoot, type Env } from '../config/env.js';
import { childLogger } from '../lib/logger.js';
import { loadOrCreateKeyFile, setSecretKey } from '../lib/secrets.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded-postgres.js';
import { migrate, openOrm } from '../db/orm.js';
import { EventBus } from '../events/event-bus.js';
import { connectPubSub } from '../graphql/pubsub.js';
import { createServices, type Services } from './services.js';
import { seedDemoIfEmpty } from '../modules/demo/demo-seed.js';

const log = childLogger('runtime');

export interface Runtime {
  env: Env;
  databaseUrl: string;
  embedded: EmbeddedDatabase | null;
  orm: MikroORM;
  bus: EventBus;
  services: Services;
  /** Stops what this runtime started, the embedded PostgreSQL last. */
  close(): Promise<void>;
}

export interface BootOptions {
  /** Seed the demo data into an empty database even with DATABASE_URL set. */
  demo?: boolean;
  poolMax?: number;
}

export function configureSecretKey(config: Env): void {
  if (config.SECRET_KEY) {
    setSecretKey(config.SECRET_KEY);
    return;
  }
  if (config.DATABASE_URL) {
    log.warn(
      'SECRET_KEY is not set: using a key generated under DATA_DIR; set SECRET_KEY when servers share a database',
    );
  }
  setSecretKey(loadOrCreateKeyFile(config.DATA_DIR));
}

/** The database URL to use: DATABASE_URL, or a PostgreSQL of our own under DATA_DIR. */
export async function resolveDatabase(config: Env): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres(config.DATA_DIR, { fsyncOff: config.PG_FSYNC_OFF });
  return { url: embedded.url, embedded };
}

/** With the database gone, a pool can wait for ever for a connection to come back: give up. */
async function atMost(ms: number, what: string, work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn({ ms }, `${what} did not finish; going on`);
      resolve();
    }, ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Opens and migrates, retrying while the database is unreachable (it may still be starting). */
async function connectWithRetry(url: string, poolMax: number | undefined, isStopped: () => boolean): Promise<MikroORM> {
  let delay = 500;
  for (;;) {
    let orm: MikroORM | undefined;
    try {
      orm = await openOrm(url, poolMax);
      await migrate(orm, url);
      return orm;
    } catch (error) {
      await orm?.close().catch(() => undefined);
      if (isStopped()) throw error;
      log.warn({ err: (error as Error).message, retryInMs: delay }, 'database not ready; retrying');
      await sleep(delay);
      delay = Math.min(delay * 2, 10_000);
    }
  }
}

export async function bootRuntime(options: BootOptions = {}, isStopped: () => boolean = () => false): Promise<Runtime> {
  const config = env();
  fs.mkdirSync(config.DATA_DIR, { recursive: true });
  configureSecretKey(config);
  const { url, embedded } = await resolveDatabase(config);
  try {
    const orm = await connectWithRetry(url, options.poolMax, isStopped);
    const bus = new EventBus(url);
    await bus.start();
    const services = createServices(orm, bus, config, url);
    connectPubSub(bus);
    if (!config.DATABASE_URL || config.SEED_DEMO || options.demo) await seedDemoIfEmpty(orm, services);
    return {
      env: config,
      databaseUrl: url,
      embedded,
      orm,
      bus,
      services,
      close: async () => {
        await bus.stop();
        await atMost(3_000, 'closing the service pools', services.close());
        await atMost(3_000, 'closing the ORM', orm.close());
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

export const clientDistDir = path.join(repoRoot, 'client', 'dist');
