// Classification rules one by one on small constructed mails, then the tricky cases that
// ../shared/corpus/EXPECTATIONS.md lists, on the real files when the corpus is there.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyMail, parseDeliveryStatus } from './classify.js';
import { parseMail } from './parse.js';
import { normaliseSubject } from './threading.js';
import type { MailClassification } from './types.js';

const OWN = { ownDomains: ['helpdesk.example'] };

async function classify(headers: string[], body = 'Hello', extra?: string[]): Promise<MailClassification> {
  const lines = [...headers, ...(extra ?? []), '', body, ''];
  return classifyMail(await parseMail(Buffer.from(lines.join('\r\n'))), OWN);
}

const base = ['From: Jane <jane@customer.example>', 'To: support@helpdesk.example', 'Subject: Printer'];
const verdict = (c: MailClassification): string =>
  [
    c.isAutoReply && 'auto',
    c.isBounce && 'bounce',
    c.isBulk && 'bulk',
    c.isOwnLoop && 'own',
    c.suppressAutoResponse && 'suppress',
  ]
    .filter(Boolean)
    .join(' ');

describe('classifyMail: single rules', () => {
  it('an ordinary mail is answered', async () => {
    const c = await classify(base);
    expect(verdict(c)).toBe('');
    expect(c.reasons).toEqual([]);
    expect(c.bounce).toBeUndefined();
  });

  it.each([
    ['Auto-Submitted: auto-replied', 'auto suppress'],
    ['Auto-Submitted: auto-generated', 'auto suppress'],
    ['Auto-Submitted: auto-replied; owner-email="me@example.com"', 'auto suppress'],
    ['Auto-Submitted: no', ''],
    ['X-Autoreply: yes', 'auto suppress'],
    ['X-Autorespond: vacation', 'auto suppress'],
    ['X-Autoresponder: 1', 'auto suppress'],
    ['Precedence: auto_reply', 'auto suppress'],
    ['X-Apple-Action: VACATION', 'auto suppress'],
    ['Delivered-To: autoresponder', 'auto suppress'],
    ['Precedence: bulk', 'bulk suppress'],
    ['Precedence: Junk', 'bulk suppress'],
    ['Precedence: list', 'bulk suppress'],
    ['List-Id: <users.lists.example>', 'bulk suppress'],
    ['List-Unsubscribe: <mailto:leave@lists.example>', 'bulk suppress'],
    ['X-Loop: yes', 'suppress'],
    ['X-Loop: other-system', ''],
    ['X-Auto-Response-Suppress: All', 'suppress'],
    ['X-MS-Exchange-Inbox-Rules-Loop: jane@customer.example', ''],
    ['Return-Path: <>', 'suppress'],
    ['Return-Path: <jane@customer.example>', ''],
    ['X-Switchboard-Loop: support@helpdesk.example', 'own suppress'],
    ['Message-ID: <a1@mail.helpdesk.example>', 'own suppress'],
    ['Message-ID: <a1@helpdesk.example.evil>', ''],
  ])('%s → %j', async (header, expected) => {
    expect(verdict(await classify(base, 'Hello', [header]))).toBe(expected);
  });

  it('an Exchange OOF needs both X-Auto-Response-Suppress and the inbox-rules loop header', async () => {
    const oof = await classify(base, 'Out', [
      'X-Auto-Response-Suppress: All',
      'X-MS-Exchange-Inbox-Rules-Loop: j@c.example',
    ]);
    expect(verdict(oof)).toBe('auto suppress');
  });

  it('recognises auto-replies by a localised subject only when nothing else says so', async () => {
    const subjects = [
      'Automatic reply: Printer',
      'Auto reply: Printer',
      'Out of Office: Printer',
      'Automatyczna odpowiedź: Printer',
      'Abwesenheitsnotiz: Printer',
      'Réponse automatique : Printer',
      'Risposta automatica: Printer',
      '自动回复: Printer',
    ];
    for (const subject of subjects) {
      const c = await classify([
        'From: j@c.example',
        `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
      ]);
      expect(verdict(c), subject).toBe('auto suppress');
    }
    for (const subject of [
      'Re: Automatic reply: Printer',
      'Automatic replies are broken',
      'Out of office hours support',
    ]) {
      expect(verdict(await classify(['From: j@c.example', `Subject: ${subject}`])), subject).toBe('');
    }
  });

  it('never calls a bounce an auto-reply', async () => {
    const c = await classify(
      ['From: MAILER-DAEMON@mx.example', 'Subject: Undelivered Mail', 'Auto-Submitted: auto-replied'],
      'Your mail to nobody@customer.example could not be delivered.',
    );
    expect(verdict(c)).toBe('bounce suppress');
  });

  it('reads RFC 3464 reports: recipients, action, status and the original Message-ID', async () => {
    const report = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example>',
      'To: support@helpdesk.example',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn-1@mx.example>',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
    ];
    const body = [
      '--r',
      'Content-Type: text/plain',
      '',
      'I am sorry.',
      '--r',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example',
      '',
      'Final-Recipient: rfc822; nobody@customer.example',
      'Action: failed',
      'Status: 5.1.1',
      '',
      'Final-Recipient: rfc822; later@customer.example',
      'Action: delayed',
      'Status: 4.4.1',
      '--r',
      'Content-Type: text/rfc822-headers',
      '',
      'Message-ID: <out-7@helpdesk.example>',
      'Subject: Re: Printer [Ticket#7]',
      '--r--',
    ].join('\r\n');
    const c = await classify(report, body);
    expect(verdict(c)).toBe('bounce suppress');
    expect(c.bounce).toEqual({
      originalMessageId: '<out-7@helpdesk.example>',
      originalSubject: 'Re: Printer [Ticket#7]',
      recipients: ['nobody@customer.example', 'later@customer.example'],
      action: 'failed',
      status: '5.1.1',
      permanent: true,
    });
  });

  it('counts delay warnings as bounces that are not permanent', async () => {
    const c = await classify(
      [
        'From: postmaster@mx.example',
        'Subject: Warning: message delayed',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      ],
      '--r\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822;x@c.example\r\nAction: delayed\r\nStatus: 4.4.7\r\n--r--',
    );
    expect(c.isBounce).toBe(true);
    expect(c.bounce).toMatchObject({
      action: 'delayed',
      status: '4.4.7',
      permanent: false,
      recipients: ['x@c.example'],
    });
  });

  it('reads plain-text bounces: X-Failed-Recipients, the quoted original, delays in words', async () => {
    const gmail = await classify(
      [
        'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
        'Subject: Delivery Status Notification (Failure)',
        'X-Failed-Recipients: gone@customer.example',
        'Return-Path: <>',
      ],
      'Delivery to the following recipient failed permanently:\r\n\r\n     gone@customer.example\r\n\r\n----- Original message -----\r\n\r\nMessage-ID: <out-9@helpdesk.example>\r\nSubject: Your ticket\r\n',
    );
    expect(gmail.bounce).toMatchObject({
      originalMessageId: '<out-9@helpdesk.example>',
      recipients: ['gone@customer.example'],
      action: 'failed',
    });
    const qmail = await classify(
      ['From: MAILER-DAEMON@mx.example', 'Subject: failure notice'],
      'Hi. This is the qmail-send program.\r\n\r\n<gone@customer.example>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n--- Below this line is a copy of the message.\r\n\r\nReturn-Path: <support@helpdesk.example>\r\nMessage-ID: <out-10@helpdesk.example>\r\n',
    );
    expect(qmail.bounce).toMatchObject({
      originalMessageId: '<out-10@helpdesk.example>',
      recipients: ['gone@customer.example'],
      status: '5.1.1',
      permanent: true,
    });
    const delayed = await classify(
      ['From: postmaster@mx.example', 'Subject: Delayed Mail (still being retried)'],
      'This is a warning. Delivery to x@c.example has been delayed; we will keep trying for 5 days.',
    );
    expect(delayed.bounce?.action).toBe('delayed');
  });

  it('treats a non-delivery subject from a null sender as a bounce', async () => {
    const c = await classify([
      'From: Mail System <system@mx.example>',
      'Subject: Undeliverable: Printer',
      'Return-Path: <>',
    ]);
    expect(c.isBounce).toBe(true);
  });

  it('ARF complaints and read receipts are neither bounces nor auto-replies, but never answered', async () => {
    const arf = await classify(
      [
        'From: abuse@isp.example',
        'Subject: complaint',
        'Content-Type: multipart/report; report-type=feedback-report; boundary="r"',
      ],
      '--r\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n--r--',
    );
    expect(verdict(arf)).toBe('suppress');
    expect(arf.isFeedbackReport).toBe(true);
    const mdn = await classify(
      [
        'From: jane@customer.example',
        'Subject: Read: Printer',
        'Auto-Submitted: auto-replied',
        'Content-Type: multipart/report; report-type=disposition-notification; boundary="r"',
      ],
      '--r\r\nContent-Type: message/disposition-notification\r\n\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n--r--',
    );
    expect(verdict(mdn)).toBe('suppress');
    expect(mdn.isReadReceipt).toBe(true);
  });

  it('parseDeliveryStatus tolerates a missing blank line between field groups', () => {
    expect(
      parseDeliveryStatus(
        'Reporting-MTA: dns; a\nFinal-Recipient: rfc822; x@y.example\nAction: failed\nStatus: 5.0.0 (x)\n',
      ),
    ).toEqual([{ recipient: 'x@y.example', action: 'failed', status: '5.0.0' }]);
  });
});

// --- EXPECTATIONS.md "tricky cases worth a dedicated unit test" on the real corpus files ---------

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const corpus = path.resolve(repoRoot, '../shared/corpus');
const haveCorpus = fs.existsSync(path.join(corpus, 'expectations.json'));
if (!haveCorpus) console.warn(`corpus not found at ${corpus}: tricky-case tests on real files skipped`);

async function corpusMail(
  file: string,
): Promise<{ mail: Awaited<ReturnType<typeof parseMail>>; c: MailClassification }> {
  const mail = await parseMail(fs.readFileSync(path.join(corpus, file)));
  return { mail, c: classifyMail(mail, OWN) };
}

describe.skipIf(!haveCorpus)('classifyMail: tricky corpus cases', () => {
  it('sisimai bsd__rfc3834-03: Apple vacation reply without Auto-Submitted', async () => {
    const { c } = await corpusMail('sisimai-set-of-emails/bsd__rfc3834-03.eml');
    expect(verdict(c)).toBe('auto suppress');
    expect(c.reasons).toContain('X-Apple-Action: vacation');
  });

  it('php-mime-mail-parser issue212: auto-reply recognisable only by its Polish subject', async () => {
    const { mail, c } = await corpusMail('php-mime-mail-parser/issue212.eml');
    expect(mail.from).toBeNull();
    expect(mail.messageId).toBeNull();
    expect(verdict(c)).toBe('auto suppress');
    expect(c.reasons).toEqual(['auto-reply subject']);
  });

  it('sisimai not__rb-issue-368-bug: a plain-text "mailbox full" notice is a bounce', async () => {
    const { mail, c } = await corpusMail('sisimai-set-of-emails/not__rb-issue-368-bug.eml');
    expect(mail.messageId).toBeNull();
    expect(verdict(c)).toBe('bounce suppress');
    expect(c.bounce?.originalMessageId).toBe('<68e0b7e3615cd_1dc7010592ed@7cf4d87f87-9r5w2.mail>');
    expect(c.bounce?.recipients).toContain('xxxx@yyyyyy.net');
  });

  it.each([
    [
      'sisimai-set-of-emails/bsd__lhost-gmx-01.eml',
      '<trinity-d174cb7e-d4a8-4dd5-8b53-7a9f70928e75-1417217529360@3capp-mailcom-lxa02>',
    ],
    ['sisimai-set-of-emails/err__make-test-07.eml', '<20090330081819.3619.qmail@mta.example.co.jp>'],
  ])('%s: no top-level Message-ID; the quoted original one is the bounce target only', async (file, original) => {
    const { mail, c } = await corpusMail(file);
    expect(mail.messageId).toBeNull();
    expect(c.isBounce).toBe(true);
    expect(c.bounce?.originalMessageId).toBe(original);
  });

  it('mimekit feedback-report: UTF-8 BOM before the headers', async () => {
    const { mail, c } = await corpusMail('mimekit/feedback-report.eml');
    expect(mail.from?.address).toBe('abusedesk@example.com');
    expect(mail.subject).toBe('FW: Earn money');
    expect(mail.parseProblems).toEqual([]);
    expect(c.isFeedbackReport).toBe(true);
    expect(verdict(c)).toBe('suppress');
  });

  it('mimekit issue358: broken header continuation and "R: R: R: I:" prefixes', async () => {
    const { mail, c } = await corpusMail('mimekit/issue358.eml');
    expect(normaliseSubject(mail.subject)).toBe('FR-selca LA selcaE');
    expect(mail.from?.address).toBe('jang.abcdef@xyzlinux12345678.it');
    expect(mail.embedded.topContentType).toBe('multipart/alternative');
    expect(mail.text.length).toBeGreaterThan(0);
    expect(mail.attachments).toHaveLength(0);
    expect(mail.parseProblems.join(' ')).toMatch(/malformed header line/);
    expect(verdict(c)).toBe('');
  });

  it('zammad-derived ooo-exchange-negative-rules-loop-only: the rules-loop header alone is not OOO', async () => {
    const { c } = await corpusMail('zammad-derived/ooo-exchange-negative-rules-loop-only.eml');
    expect(verdict(c)).toBe('');
    const { c: positive } = await corpusMail('zammad-derived/ooo-exchange-1.eml');
    expect(verdict(positive)).toBe('auto suppress');
  });

  it('zammad mail033: the bounce of our notification leads back to its ticket', async () => {
    const { mail, c } = await corpusMail('zammad/mail033-undelivered-mail-returned-to-sender-notification.eml');
    expect(mail.attachments).toHaveLength(2);
    expect(c.bounce).toMatchObject({
      originalMessageId: '<notification.20150830145600.1.4.5f4fd063-f69b-4e64-a92d-5e7128bd6682@127.0.0.1:3000>',
      originalSubject: 'test [Ticket#10010]',
      recipients: ['not_existing@znuny.com'],
      action: 'failed',
      status: '5.1.1',
      permanent: true,
    });
  });
});
