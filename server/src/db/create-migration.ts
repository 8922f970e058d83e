// Writes a migration for the difference between the entities and a database migrated to head.
// Usage: pnpm db:migration <name>
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, migrationsDir, openOrm } from './orm.js';

const name = process.argv[2] ?? 'change';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-migration-'));
const db = await startEmbeddedPostgres(dir, { fsyncOff: true });
const orm = await openOrm(db.url);
try {
  await migrate(orm, db.url);
  const result = await orm.migrator.create(migrationsDir, false, false, name);
  console.log(result.fileName ? `wrote ${result.fileName}\n${result.diff.up.join('\n')}` : 'no changes');
} finally {
  await orm.close();
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
