import { MikroORM, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import path from 'node:path';
import pg from 'pg';
import { fileURLToPath } from 'node:url';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';
import { TenantWriteGuard, tenantFilter } from './tenant-scope.js';
import { childLogger } from '../lib/logger.js';

const log = childLogger('db');
export const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export function ormConfig(clientUrl: string, poolMax = 20) {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    filters: { tenant: tenantFilter },
    dataloader: true,
    subscribers: [new TenantWriteGuard()],
    // Every request and job works on its own fork; the global manager must never be used.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: poolMax },
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: migrationsDir,
      pathTs: migrationsDir,
      emit: 'ts' as const,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      migrationsList,
    },
  };
}

export async function openOrm(clientUrl: string, poolMax?: number): Promise<MikroORM> {
  return MikroORM.init(ormConfig(clientUrl, poolMax));
}

// Several servers and workers may start at once against one database: one migrates, the others
// wait on the advisory lock and then find nothing pending.
const MIGRATION_LOCK = 0x5b0a7d01;

export async function migrate(orm: MikroORM, clientUrl: string): Promise<void> {
  const lockClient = new pg.Client({ connectionString: clientUrl });
  await lockClient.connect();
  try {
    await lockClient.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const pending = await orm.migrator.getPending();
    if (pending.length > 0) {
      log.info({ migrations: pending.map((m) => m.name) }, 'applying migrations');
      await orm.migrator.up();
    }
  } finally {
    await lockClient.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lockClient.end();
  }
}
