// One throwaway PostgreSQL for the whole test run; every test file gets its own database in it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/src/db/embedded-postgres.js';

let db: EmbeddedDatabase | undefined;
let dir: string | undefined;

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export async function setup(project: TestProject): Promise<void> {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-test-pg-'));
  db = await startEmbeddedPostgres(dir, { fsyncOff: true });
  project.provide('postgresAdminUrl', db.url);
}

export async function teardown(): Promise<void> {
  await db?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
