// c) Connections: ADDRESSES support addresses, each its own mailbox on one local Dovecot, watched
//    by one worker process (IMAP IDLE on every one): how long until all are connected, the worker's
//    memory, and APPEND → inboxEvents latency on random addresses. Then a second worker starts, the
//    first is killed (SIGKILL), and we time until the second holds every address again and a mail
//    sent right after the kill reaches the agent.
// Run: pnpm bench:mail-connections   (ADDRESSES=1000 PROBES=20 MAILBOX_LEASE_SECONDS=20)
import fs from 'node:fs';
import { startTestStack } from '../support/stack.js';
import { subscribe } from '../support/graphql-client.js';
import { dovecotAvailable, startDovecot } from '../support/dovecot.js';
import { startEntry, tempDir, type ManagedProcess } from '../support/processes.js';
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres.js';
import { acrossTenants } from '../../server/src/db/tenant-scope.js';
import { encryptSecret } from '../../server/src/lib/secrets.js';
import { Tenant } from '../../server/src/modules/tenants/tenant.entity.js';
import { EmailAddress, SmtpSecurity } from '../../server/src/modules/email/email-address.entity.js';
import { percentile } from './percentile.js';
import { machine } from './stats.js';

const ADDRESSES = Number(process.env.ADDRESSES ?? 1000);
const PROBES = Number(process.env.PROBES ?? 20);
const LEASE_SECONDS = process.env.MAILBOX_LEASE_SECONDS ?? '20';

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function until<T>(what: string, check: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  console.log(`Machine: ${machine()}`);
  if (!dovecotAvailable()) {
    console.log('skipped: Dovecot is not installed');
    return;
  }
  // Dovecot's IDLE uses one inotify instance per connection; the usual per-user limit is 128, and
  // past it Dovecot checks the mailbox only every 30 s. Root can raise it for the run.
  const inotify = '/proc/sys/fs/inotify/max_user_instances';
  if (Number(fs.readFileSync(inotify, 'utf8')) < ADDRESSES * 2) {
    try {
      fs.writeFileSync(inotify, String(ADDRESSES * 4));
    } catch {
      console.log(`note: ${inotify} is below ${ADDRESSES * 2}; Dovecot will poll most mailboxes every 30 s`);
    }
  }
  const db = await startEmbeddedPostgres(tempDir('switchboard-bench-conn-pg-'), { fsyncOff: true });
  const stack = await startTestStack({
    databaseUrl: db.url,
    env: { MAIL_SENDER_TICKETS_PER_HOUR: 1_000_000, LOG_LEVEL: 'silent' },
  });
  const users = Array.from({ length: ADDRESSES }, (_, i) => `box${i}`);
  const dovecot = await startDovecot(users, { clients: ADDRESSES * 2 });
  const workers: ManagedProcess[] = [];
  const sql = <T>(text: string, params: unknown[] = []) =>
    stack.runtime.orm.em.fork().getConnection().execute<T[]>(text, params);
  try {
    // The addresses go straight into the database: 1,000 createEmailAddress calls would time GraphQL.
    const em = acrossTenants(stack.runtime.orm.em);
    const tenant = await em.findOneOrFail(Tenant, { slug: 'demo' });
    const sealed = encryptSecret(dovecot.password);
    for (const user of users) {
      em.create(EmailAddress, {
        tenant,
        displayName: user,
        address: `${user}@demo.test`,
        imapHost: '127.0.0.1',
        imapPort: dovecot.port,
        imapTls: false,
        imapUser: user,
        imapPasswordSealed: sealed,
        smtpHost: '127.0.0.1',
        smtpPort: 1,
        smtpSecurity: SmtpSecurity.NONE,
      });
    }
    await em.flush();
    const env = {
      DATABASE_URL: stack.databaseUrl,
      SECRET_KEY: stack.runtime.env.SECRET_KEY,
      MAILBOX_LEASE_SECONDS: LEASE_SECONDS,
      LOG_LEVEL: 'warn',
    };
    const connected = (owner: string | null, since: Date) =>
      sql<{ n: number }>(
        `select count(*)::int as n from email_addresses where lease_owner ${owner ? '= ?' : 'is not null'}
         and last_check_at >= ? and health = 'OK'`,
        owner ? [owner, since] : [since],
      ).then((rows) => rows[0]?.n ?? 0);

    const first = startEntry('workers/src/main.ts', { env: { ...env, DATA_DIR: tempDir('switchboard-bench-w1-') } });
    workers.push(first);
    await first.waitForOutput('Switchboard workers are running', 120_000);
    const started = new Date();
    const t0 = performance.now();
    await until(
      'all mailboxes connected',
      async () => ((await connected(null, started)) >= ADDRESSES ? true : null),
      600_000,
    );
    const connectSeconds = (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 5_000)); // settle into IDLE
    const rss = rssMiB(first.pid);
    console.log(
      `c) ${ADDRESSES} addresses on one worker: all connected and in IDLE after ${connectSeconds.toFixed(1)} s; worker RSS ${rss.toFixed(0)} MiB`,
    );

    const agent = await stack.login('agent1@demo.test');
    const ws = agent.ws();
    const sub = subscribe<{ inboxEvents: { kind: string; ticket: { title: string } } }>(
      ws,
      'subscription { inboxEvents { kind ticket { title } } }',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const waitFor = async (subject: string) => {
      for (;;) {
        const next = await sub.next(60_000);
        if (next.data?.inboxEvents.kind === 'CREATED' && next.data.inboxEvents.ticket.title === subject) return;
      }
    };
    const latencies: number[] = [];
    for (let i = 0; i < PROBES; i++) {
      const user = users[Math.floor(Math.random() * users.length)]!;
      const appender = await dovecot.appender(user);
      const subject = `probe ${i} to ${user}`;
      const start = performance.now();
      await appender.append(
        `From: probe${i}@bench.test\r\nTo: ${user}@demo.test\r\nSubject: ${subject}\r\nMessage-ID: <conn-${i}-${Date.now()}@bench.test>\r\n\r\nhello\r\n`,
      );
      await waitFor(subject);
      latencies.push(performance.now() - start);
      await appender.close();
    }
    console.log(
      `c) new mail on a random one of ${ADDRESSES} watched addresses → inboxEvents over ${PROBES} mails: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms; worker RSS now ${rssMiB(first.pid).toFixed(0)} MiB`,
    );

    // Failover: a second worker waits; the first dies without a word.
    const second = startEntry('workers/src/main.ts', { env: { ...env, DATA_DIR: tempDir('switchboard-bench-w2-') } });
    workers.push(second);
    await second.waitForOutput('Switchboard workers are running', 120_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const killedAt = new Date();
    const tKill = performance.now();
    first.signal('SIGKILL');
    await first.waitForExit(10_000);
    const user = users[Math.floor(Math.random() * users.length)]!;
    const subject = `failover probe to ${user}`;
    await dovecot.deliver(
      user,
      `From: failover@bench.test\r\nTo: ${user}@demo.test\r\nSubject: ${subject}\r\nMessage-ID: <failover-${Date.now()}@bench.test>\r\n\r\nhello\r\n`,
    );
    await waitFor(subject);
    const mailSeconds = (performance.now() - tKill) / 1000;
    await until(
      'every address back',
      async () => ((await connected(null, killedAt)) >= ADDRESSES ? true : null),
      600_000,
    );
    const allSeconds = (performance.now() - tKill) / 1000;
    console.log(
      `c) failover with two workers (lease ${LEASE_SECONDS} s), the first killed: a mail sent at the kill reached the agent after ${mailSeconds.toFixed(1)} s; all ${ADDRESSES} addresses watched again after ${allSeconds.toFixed(1)} s; second worker RSS ${rssMiB(second.pid).toFixed(0)} MiB`,
    );
    sub.dispose();
    await ws.dispose();
  } finally {
    for (const worker of workers) await worker.destroy();
    await dovecot.close();
    await stack.close();
    await db.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
