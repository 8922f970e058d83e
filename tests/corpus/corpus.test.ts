// The shared mail corpus (../shared/corpus from the repository root, or $SWITCHBOARD_CORPUS) through
// parseMail + classifyMail:
// - every entry of expectations.json: each expected field must match (see EXPECTATIONS.md there);
// - every other .eml file: no throw, a subject string, byteSize equal to the file size, nothing of
//   the attachments lost, no script left in the HTML.
// The pass rate per field is printed at the end. The corpus is data only and is never copied here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyMail, parseMail } from '../../server/src/modules/email/inbound/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = process.env.SWITCHBOARD_CORPUS
  ? path.resolve(process.env.SWITCHBOARD_CORPUS)
  : path.resolve(repoRoot, '../shared/corpus');
const expectationsFile = path.join(corpusDir, 'expectations.json');
const present = fs.existsSync(expectationsFile);
if (!present) {
  console.warn(`Mail corpus not found at ${corpusDir} (no expectations.json): the corpus suite is skipped.`);
}

interface Entry {
  file: string;
  expect: Record<string, unknown>;
  note?: string;
}

const FIELDS = [
  'is_auto_reply',
  'is_bounce',
  'is_bulk',
  'suppress_auto_response',
  'subject',
  'from',
  'has_attachments',
  'message_id',
  'in_reply_to',
] as const;

const OWN_DOMAINS = ['switchboard.test'];

function listEml(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listEml(full));
    else if (entry.name.endsWith('.eml')) out.push(path.relative(corpusDir, full));
  }
  return out.sort();
}

const entries: Entry[] = present ? (JSON.parse(fs.readFileSync(expectationsFile, 'utf8')) as Entry[]) : [];
const expected = new Set(entries.map((e) => e.file));
const others = present ? listEml(corpusDir).filter((file) => !expected.has(file)) : [];

const tally = new Map<string, { passed: number; total: number }>();
const failures: string[] = [];
let entriesPassed = 0;
let othersPassed = 0;

function record(field: string, ok: boolean): void {
  const t = tally.get(field) ?? { passed: 0, total: 0 };
  t.total++;
  if (ok) t.passed++;
  tally.set(field, t);
}

describe.skipIf(!present)('mail corpus', () => {
  afterAll(() => {
    const lines = [`Mail corpus at ${corpusDir}`, '', 'expectations.json, per field:'];
    let passed = 0;
    let total = 0;
    for (const field of [...FIELDS, ...[...tally.keys()].filter((k) => !(FIELDS as readonly string[]).includes(k))]) {
      const t = tally.get(field);
      if (!t) continue;
      passed += t.passed;
      total += t.total;
      lines.push(`  ${field.padEnd(24)} ${t.passed}/${t.total} (${((100 * t.passed) / t.total).toFixed(1)}%)`);
    }
    lines.push(
      `  ${'all fields'.padEnd(24)} ${passed}/${total} (${total ? ((100 * passed) / total).toFixed(1) : '0'}%)`,
    );
    lines.push(`  ${'messages fully right'.padEnd(24)} ${entriesPassed}/${entries.length}`);
    lines.push(`other messages parsed and classified without loss: ${othersPassed}/${others.length}`);
    if (failures.length) lines.push('', 'Mismatches:', ...failures.map((f) => `  ${f}`));
    console.log(lines.join('\n'));
  });

  it('has expectations and messages', () => {
    expect(entries.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
  });

  describe('expectations.json', () => {
    it.each(entries.map((e) => [e.file, e] as const))('%s', async (file, entry) => {
      const raw = fs.readFileSync(path.join(corpusDir, file));
      const mail = await parseMail(raw);
      const c = classifyMail(mail, { ownDomains: OWN_DOMAINS });
      const got: Record<string, unknown> = {
        is_auto_reply: c.isAutoReply,
        is_bounce: c.isBounce,
        is_bulk: c.isBulk,
        suppress_auto_response: c.suppressAutoResponse,
        subject: mail.subject,
        from: mail.from?.address ?? null,
        has_attachments: mail.attachments.length,
        message_id: mail.messageId,
        in_reply_to: mail.inReplyTo,
      };
      const actual: Record<string, unknown> = {};
      let allOk = true;
      for (const [field, want] of Object.entries(entry.expect)) {
        const value = field in got ? got[field] : `<unknown field ${field}>`;
        actual[field] = value;
        const ok = value === want;
        record(field, ok);
        if (!ok) {
          allOk = false;
          failures.push(`${file}: ${field} = ${JSON.stringify(value)}, expected ${JSON.stringify(want)}`);
        }
      }
      if (allOk) entriesPassed++;
      expect(mail.byteSize).toBe(raw.length);
      expect(actual).toEqual(entry.expect);
    });
  });

  describe('every other message', () => {
    it.each(others)('%s', async (file) => {
      const raw = fs.readFileSync(path.join(corpusDir, file));
      const mail = await parseMail(raw);
      const c = classifyMail(mail, { ownDomains: OWN_DOMAINS });
      expect(typeof mail.subject).toBe('string');
      expect(typeof mail.text).toBe('string');
      expect(mail.byteSize).toBe(raw.length);
      for (const attachment of mail.attachments) expect(attachment.content.length).toBe(attachment.size);
      if (mail.html !== null) {
        expect(mail.html).not.toMatch(/<script|<[^>]*\son[a-z]+\s*=|<[^>]*(href|src)\s*=\s*"\s*javascript:/i);
      }
      expect(typeof c.suppressAutoResponse).toBe('boolean');
      othersPassed++;
    });
  });
});
