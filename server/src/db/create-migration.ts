// Writes a migration for the difference between the entities and a database migrated to head.
// Usage: pnpm db:migration <name>
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, migrationsDir, openOrm } from './orm.js';

/**
 * Database objects written by hand in migrations that the entities cannot describe (the SLA board's
 * count triggers): the schema diff would otherwise propose dropping them every time.
 */
const HAND_MANAGED = ['ticket_slas_count_insert_delete', 'ticket_slas_count_update'];

function isHandManaged(line: string): boolean {
  return HAND_MANAGED.some((name) => line.includes(`"${name}"`) || line.includes(`"ticket_slas_${name}_fn"`));
}

/** Removes statements about hand-managed objects; deletes the file when nothing else is left. */
function withoutHandManaged(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const lines = source.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.includes('this.addSql(') && isHandManaged(line)) {
      // A statement may continue on following lines up to its closing `);`.
      while (!lines[i]!.trimEnd().endsWith(');') && i < lines.length - 1) i++;
      continue;
    }
    kept.push(line);
  }
  fs.writeFileSync(file, kept.join('\n'));
  const upBody = kept.join('\n').split('override down()')[0] ?? '';
  return upBody.split('\n').filter((l) => l.includes('this.addSql('));
}

const name = process.argv[2] ?? 'change';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-migration-'));
const db = await startEmbeddedPostgres(dir, { fsyncOff: true });
const orm = await openOrm(db.url);
try {
  await migrate(orm, db.url);
  const result = await orm.migrator.create(migrationsDir, false, false, name);
  const file = result.fileName ? path.join(migrationsDir, result.fileName) : null;
  const statements = file ? withoutHandManaged(file) : [];
  if (file && statements.length === 0) fs.rmSync(file);
  console.log(statements.length > 0 ? `wrote ${result.fileName}\n${statements.join('\n')}` : 'no changes');
} finally {
  await orm.close();
  await db.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
