// Mail parsing throughput: bare mailparser simpleParser versus parseMail + classifyMail (our
// pipeline: mailparser with quote-aware flowed decoding, raw header reading, HTML sanitising,
// text from HTML, classification and bounce analysis).
//
// Run: node --import @swc-node/register/esm-register tests/bench/mail-parse.ts
//   CORPUS=<dir>   the shared corpus (default ../shared/corpus from the repository root)
//   MAILBOX=2000   size of the synthetic mailbox built from the corpus messages
//   ROUNDS=3       passes over the corpus, at most 2 over the mailbox (the best pass counts)
//
// Two workloads, each parsed one message at a time (as the IMAP job does):
// 1. every .eml of the corpus as is (393 messages, 7 MB, including a 1.8 MB MIME torture test,
//    a 1.1 MB list mail, 300-attachment and 135 KB-header stress cases);
// 2. a mailbox of MAILBOX "realistic" mails: the corpus messages under 256 KB, cycled, each with a
//    unique Message-ID and Subject, so no cache can help.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from '../../server/src/modules/email/inbound/baseline.js';
import { classifyMail, parseMail } from '../../server/src/modules/email/inbound/index.js';
import { percentile } from './percentile.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(process.env.CORPUS ?? path.join(repoRoot, '../shared/corpus'));
const MAILBOX = Number(process.env.MAILBOX ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function listEml(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listEml(full));
    else if (entry.name.endsWith('.eml')) out.push(full);
  }
  return out.sort();
}

/** A copy of `raw` with a fresh Message-ID and a numbered Subject (header block only). */
function variant(raw: Buffer, n: number): Buffer {
  const text = raw.toString('latin1');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const body = headerEnd < 0 ? '' : text.slice(headerEnd);
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  let newHead = head.replace(/^Message-ID:[^\r\n]*(\r?\n[ \t][^\r\n]*)*/im, '');
  newHead = newHead.replace(/^Subject:([^\r\n]*)/im, (_m, subject: string) => `Subject:${subject} #${n}`);
  newHead = `Message-ID: <bench-${n}.${Date.now()}@mailbox.bench>${eol}${newHead}`;
  return Buffer.from(newHead + body, 'latin1');
}

interface Result {
  seconds: number;
  perMessageMs: number[];
}

async function run(messages: Buffer[], parse: (raw: Buffer) => Promise<unknown>): Promise<Result> {
  const perMessageMs: number[] = [];
  const started = performance.now();
  for (const raw of messages) {
    const t = performance.now();
    await parse(raw);
    perMessageMs.push(performance.now() - t);
  }
  return { seconds: (performance.now() - started) / 1000, perMessageMs };
}

const bare = (raw: Buffer): Promise<unknown> => simpleParser(raw);
const ours = async (raw: Buffer): Promise<unknown> =>
  classifyMail(await parseMail(raw), { ownDomains: ['bench.test'] });

function line(label: string, count: number, bytes: number, r: Result): string {
  const rate = count / r.seconds;
  const mbs = bytes / 1024 / 1024 / r.seconds;
  const p50 = percentile(r.perMessageMs, 50);
  const p99 = percentile(r.perMessageMs, 99);
  return `  ${label.padEnd(28)} ${rate.toFixed(0).padStart(6)} msg/s  ${mbs.toFixed(1).padStart(5)} MB/s  p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(1)} ms  max ${Math.max(...r.perMessageMs).toFixed(0)} ms`;
}

async function compare(name: string, messages: Buffer[], rounds: number): Promise<void> {
  const bytes = messages.reduce((sum, m) => sum + m.length, 0);
  let bestBare: Result | null = null;
  let bestOurs: Result | null = null;
  for (let round = 0; round < rounds; round++) {
    const b = await run(messages, bare);
    const o = await run(messages, ours);
    if (!bestBare || b.seconds < bestBare.seconds) bestBare = b;
    if (!bestOurs || o.seconds < bestOurs.seconds) bestOurs = o;
  }
  console.log(`${name}: ${messages.length} messages, ${(bytes / 1024 / 1024).toFixed(1)} MB (best of ${rounds})`);
  console.log(line('mailparser simpleParser', messages.length, bytes, bestBare!));
  console.log(line('parseMail + classifyMail', messages.length, bytes, bestOurs!));
  console.log(`  ratio (ours / bare time)      ${(bestOurs!.seconds / bestBare!.seconds).toFixed(2)}x`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(corpusDir)) {
    console.error(`corpus not found at ${corpusDir} (set CORPUS=…)`);
    process.exit(1);
  }
  const files = listEml(corpusDir);
  const corpus = files.map((f) => fs.readFileSync(f));
  const realistic = corpus.filter((m) => m.length < 256 * 1024);
  const mailbox = Array.from({ length: MAILBOX }, (_, i) => variant(realistic[i % realistic.length]!, i));

  console.log(
    `Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  // warm-up: JIT, lazy requires, regex compilation
  await run(corpus.slice(0, 50), bare);
  await run(corpus.slice(0, 50), ours);

  await compare('Corpus', corpus, ROUNDS);
  await compare('Synthetic mailbox', mailbox, Math.max(1, Math.min(ROUNDS, 2)));
}

await main();
