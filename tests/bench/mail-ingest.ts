// The mail pipeline end to end.
// a) Ingest throughput: a mailbox of MAILBOX realistic mails (built from the shared corpus, each
//    with a fresh Message-ID and a distinct sender) through MailIngestService (parse, classify,
//    store raw, thread, ticket + timeline event + cursor in one transaction), beside bare
//    mailparser on the same mails.
// b) Latency with IDLE: a real Dovecot, the workers' mailbox watcher, and an agent subscribed to
//    inboxEvents; time from the start of APPEND to the agent's CREATED event, over LATENCY_MAILS.
// Run: pnpm bench:mail-ingest   (MAILBOX=2000 ROUNDS=3 LATENCY_MAILS=100 BATCH=100; BATCH=1 is one mail
//      per transaction; CPU_PROFILE=ingest.cpuprofile writes a V8 CPU profile of the last round's
//      ingest, for Chrome DevTools)
// The ingest runs in this process, which `pnpm bench:mail-ingest` starts with the Node flags the
// workers run with (scripts/worker-node-flags.json); the benchmark refuses to run without them.
// The machines here share their CPUs: a) runs ROUNDS rounds, each bare mailparser then the pipeline
// on a fresh mailbox (new Message-IDs and senders), and prints every round, the median and the best.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { ImapFlow } from 'imapflow';
import path from 'node:path';
import { simpleParser } from '../../server/src/modules/email/inbound/baseline.js';
import { startTestStack } from '../support/stack.js';
import { subscribe } from '../support/graphql-client.js';
import { dovecotAvailable, startDovecot } from '../support/dovecot.js';
import { startSmtpServer } from '../support/mail-servers.js';
import { repoRoot, tempDir, workerNodeFlags } from '../support/processes.js';
import { startEmbeddedPostgres } from '../../server/src/db/embedded-postgres.js';
import { MailboxLeases } from '../../workers/src/mailboxes/mailbox-leases.js';
import { acrossTenants } from '../../server/src/db/tenant-scope.js';
import { EmailAddress } from '../../server/src/modules/email/email-address.entity.js';
import { env } from '../../server/src/config/env.js';
import { percentile } from './percentile.js';
import { machine } from './stats.js';

const MAILBOX = Number(process.env.MAILBOX ?? 2000);
const LATENCY_MAILS = Number(process.env.LATENCY_MAILS ?? 100);
const BATCH = Number(process.env.BATCH ?? 100);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const corpusDir = path.resolve(repoRoot, '../shared/corpus');

function listEml(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listEml(full) : e.name.endsWith('.eml') ? [full] : [];
  });
}

/** A corpus mail with a fresh Message-ID and sender, so every one opens its own ticket. */
function variant(raw: Buffer, n: number, round: number): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end);
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  const cleaned = head.replace(
    /^(Message-ID|From|In-Reply-To|References|Auto-Submitted|Precedence|List-Id|List-Unsubscribe|Return-Path):[^\r\n]*(\r?\n[ \t][^\r\n]*)*\r?\n?/gim,
    '',
  );
  return Buffer.from(
    `Message-ID: <bench-${round}-${n}-${Date.now()}@mailbox.bench>${eol}From: Sender ${n} <sender${round}-${n}@bench.test>${eol}${cleaned}${body}`,
    'latin1',
  );
}

function realisticMailbox(round: number): Buffer[] {
  const sources = fs.existsSync(corpusDir)
    ? listEml(corpusDir)
        .map((f) => fs.readFileSync(f))
        .filter((b) => b.length < 200_000 && !/multipart\/report/i.test(b.subarray(0, 4000).toString('latin1')))
    : [
        Buffer.from(
          'Subject: Printer offline\r\nContent-Type: text/plain\r\n\r\nThe printer on floor 3 is offline again.\r\n',
        ),
      ];
  return Array.from({ length: MAILBOX }, (_, i) => variant(sources[i % sources.length]!, i, round));
}

/** CPU seconds of every postgres process so far (whole seconds, as ps reports them). */
function postgresCpuSeconds(): number {
  try {
    const out = execSync('ps -C postgres -o times=', { encoding: 'utf8' });
    return out.split(/\s+/).reduce((sum, v) => sum + (Number(v) || 0), 0);
  } catch {
    return Number.NaN;
  }
}

/** With CPU_PROFILE set: starts V8's profiler; the returned function writes the profile there. */
async function startProfiler(): Promise<(() => Promise<void>) | null> {
  const file = process.env.CPU_PROFILE;
  if (!file) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`CPU profile of the ingest: ${file}`);
  };
}

function tally(outcomes: string[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts].map(([o, n]) => `${n} ${o}`).join(', ');
}

async function main(): Promise<void> {
  const missing = workerNodeFlags.filter((flag) => !process.execArgv.includes(flag));
  if (missing.length)
    throw new Error(`run with the workers' Node flags (pnpm bench:mail-ingest): ${missing.join(' ')}`);
  console.log(`Machine: ${machine()}; Node flags: ${workerNodeFlags.join(' ')}`);
  const first = realisticMailbox(0);
  const bytes = first.reduce((n, m) => n + m.length, 0);
  console.log(`mailbox: ${first.length} mails, ${(bytes / 1048576).toFixed(1)} MiB, ${ROUNDS} rounds`);

  const db = await startEmbeddedPostgres(tempDir('switchboard-bench-mail-pg-'), {
    fsyncOff: process.env.FSYNC === 'off',
  });
  const stack = await startTestStack({
    databaseUrl: db.url,
    env: { MAIL_SENDER_TICKETS_PER_HOUR: 1_000_000, LOG_LEVEL: 'silent' },
  });
  const smtp = await startSmtpServer();
  const admin = await stack.login('admin@demo.test');
  const address = async (user: string, port: number, password: string) =>
    (
      await admin.data<{ createEmailAddress: { id: string } }>(
        'mutation($input: EmailAddressInput!) { createEmailAddress(input: $input) { id } }',
        {
          input: {
            displayName: user,
            address: `${user}@demo.test`,
            imapHost: '127.0.0.1',
            imapPort: port,
            imapTls: false,
            imapUser: user,
            imapPassword: password,
            smtpHost: '127.0.0.1',
            smtpPort: smtp.port,
            smtpSecurity: 'NONE',
          },
        },
      )
    ).createEmailAddress.id;
  try {
    const ingestId = await address('ingest', 1, 'unused');
    await stack.runtime.services.mailReader.warmUp(); // as the workers do when they start
    const rounds: Array<{ pipeline: number; bare: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const mails = round === 0 ? first : realisticMailbox(round);
      let started = performance.now();
      for (const mail of mails) await simpleParser(mail);
      const bare = mails.length / ((performance.now() - started) / 1000);
      // As the mailbox fetcher hands them over: batches of up to BATCH mails, one transaction each,
      // the next batches read while the current one is recorded.
      const batches = async function* () {
        for (let i = 0; i < mails.length; i += BATCH)
          yield mails.slice(i, i + BATCH).map((raw) => ({ raw, cursor: null }));
      };
      const profiler = round === ROUNDS - 1 ? await startProfiler() : null;
      const postgresCpu0 = postgresCpuSeconds();
      const nodeCpu0 = process.cpuUsage();
      started = performance.now();
      const outcomes = await stack.runtime.services.mailIngest.ingestBatches(ingestId, batches());
      const pipeline = mails.length / ((performance.now() - started) / 1000);
      const nodeCpu = process.cpuUsage(nodeCpu0);
      const postgresCpu = postgresCpuSeconds() - postgresCpu0;
      await profiler?.();
      rounds.push({ pipeline, bare });
      console.log(
        `a) round ${round + 1}: ${pipeline.toFixed(0)} mails/s through the pipeline; bare mailparser ${bare.toFixed(0)} mails/s; ratio ${((100 * pipeline) / bare).toFixed(0)}%; CPU Node ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s (all its threads), PostgreSQL ${postgresCpu.toFixed(0)} s; ${tally(outcomes)}`,
      );
    }
    const median = (values: number[]) => percentile(values, 50);
    const pipelines = rounds.map((r) => r.pipeline);
    const ratios = rounds.map((r) => (100 * r.pipeline) / r.bare);
    console.log(
      `a) ingest (${env().MAIL_READ_THREADS} reading threads, batches of ${BATCH}): median ${median(pipelines).toFixed(0)} mails/s, best ${Math.max(...pipelines).toFixed(0)}; bare mailparser median ${median(rounds.map((r) => r.bare)).toFixed(0)} mails/s; ratio median ${median(ratios).toFixed(0)}%`,
    );

    if (!dovecotAvailable()) {
      console.log('b) skipped: Dovecot is not installed');
      return;
    }
    const dovecot = await startDovecot(['latency']);
    const leases = new MailboxLeases(stack.runtime.services, {
      leaseSeconds: 30,
      heartbeatMs: 1000,
      maxMailboxes: 10,
      pollIntervalMs: 600_000,
    });
    try {
      // Only the latency mailbox is watched.
      await acrossTenants(stack.runtime.orm.em).nativeUpdate(EmailAddress, { id: ingestId }, { isActive: false });
      await address('latency', dovecot.port, dovecot.password);
      await leases.start();
      const agent = await stack.login('agent1@demo.test');
      const ws = agent.ws();
      const sub = subscribe<{ inboxEvents: { kind: string; ticket: { title: string } } }>(
        ws,
        'subscription { inboxEvents { kind ticket { title } } }',
      );
      await new Promise((r) => setTimeout(r, 2000));
      // A second IDLE client on the same mailbox tells Dovecot's share (APPEND → EXISTS: Dovecot
      // batches mailbox changes for 500 ms before it notifies IDLE clients) from ours.
      const observer = new ImapFlow({
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        auth: { user: 'latency', pass: dovecot.password },
        logger: false,
        autoIdleDelay: 10,
      });
      observer.on('error', () => undefined);
      await observer.connect();
      await observer.mailboxOpen('INBOX');
      let existsAt = 0;
      observer.on('exists', () => (existsAt = performance.now()));
      const appender = await dovecot.appender('latency');
      const latencies: number[] = [];
      const dovecotShare: number[] = [];
      for (let i = 0; i < LATENCY_MAILS; i++) {
        const subject = `latency probe ${i}`;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200)); // mail arrives at any moment
        existsAt = 0;
        const start = performance.now();
        await appender.append(
          `From: probe${i}@bench.test\r\nTo: latency@demo.test\r\nSubject: ${subject}\r\nMessage-ID: <latency-${i}-${Date.now()}@bench.test>\r\n\r\nhello\r\n`,
        );
        for (;;) {
          const next = await sub.next(10_000);
          if (next.data?.inboxEvents.kind === 'CREATED' && next.data.inboxEvents.ticket.title === subject) break;
        }
        latencies.push(performance.now() - start);
        if (existsAt) dovecotShare.push(existsAt - start);
      }
      console.log(
        `b) APPEND → inboxEvents with IDLE over ${LATENCY_MAILS} mails: p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms` +
          ` (of which APPEND → EXISTS at an IDLE client, Dovecot's notify delay: p50 ${percentile(dovecotShare, 50).toFixed(0)} ms, p99 ${percentile(dovecotShare, 99).toFixed(0)} ms)`,
      );
      await appender.close();
      await observer.logout();
      sub.dispose();
      await ws.dispose();
    } finally {
      await leases.stop();
      await dovecot.close();
    }
  } finally {
    await stack.close();
    await smtp.close();
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
