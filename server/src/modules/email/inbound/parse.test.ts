import { describe, expect, it } from 'vitest';
import { decodeFlowed } from './flowed.js';
import { parseMail, parseMailDate } from './parse.js';
import { decodeWords, parseParams, readHeaderBlock } from './raw-headers.js';

const CRLF = '\r\n';
const raw = (lines: string[]): Buffer => Buffer.from(lines.join(CRLF), 'utf8');

const simple = raw([
  'From: "Jane Doe" <jane@customer.example>',
  'To: Support <support@helpdesk.example>, bob@helpdesk.example',
  'Cc: =?UTF-8?Q?J=C3=B6rg?= <joerg@customer.example>',
  'Reply-To: jane.private@customer.example',
  'Subject: =?UTF-8?B?RHJ1Y2tlciBkZWZla3Qg4oCTIGJpdHRlIGhlbGZlbg==?=',
  'Date: Tue, 3 Feb 2026 10:15:00 +0100',
  'Message-ID: <abc.123@customer.example>',
  'In-Reply-To: <out-1@helpdesk.example>',
  'References: <out-0@helpdesk.example>',
  '  <out-1@helpdesk.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hallo, der Drucker geht nicht.',
  '',
]);

describe('parseMail: ordinary mail', () => {
  it('reads identity, addresses, subject, date and body', async () => {
    const mail = await parseMail(simple);
    expect(mail.messageId).toBe('<abc.123@customer.example>');
    expect(mail.inReplyTo).toBe('<out-1@helpdesk.example>');
    expect(mail.references).toEqual(['<out-0@helpdesk.example>', '<out-1@helpdesk.example>']);
    expect(mail.subject).toBe('Drucker defekt – bitte helfen');
    expect(mail.from).toEqual({ address: 'jane@customer.example', name: 'Jane Doe' });
    expect(mail.fromName).toBe('Jane Doe');
    expect(mail.to.map((a) => a.address)).toEqual(['support@helpdesk.example', 'bob@helpdesk.example']);
    expect(mail.cc).toEqual([{ address: 'joerg@customer.example', name: 'Jörg' }]);
    expect(mail.replyTo).toEqual([{ address: 'jane.private@customer.example', name: '' }]);
    expect(mail.date?.toISOString()).toBe('2026-02-03T09:15:00.000Z');
    expect(mail.text.trim()).toBe('Hallo, der Drucker geht nicht.');
    expect(mail.html).toBeNull();
    expect(mail.attachments).toEqual([]);
    expect(mail.parseProblems).toEqual([]);
    expect(mail.byteSize).toBe(simple.length);
    expect(mail.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(mail.headers['message-id']).toEqual(['<abc.123@customer.example>']);
    expect(mail.headers['references']).toEqual(['<out-0@helpdesk.example>  <out-1@helpdesk.example>']);
  });

  it('has no Message-ID when the header is missing or empty, and never invents a date', async () => {
    const mail = await parseMail(raw(['From: a@b.example', 'Message-ID:', 'Subject: x', '', 'body']));
    expect(mail.messageId).toBeNull();
    expect(mail.inReplyTo).toBeNull();
    expect(mail.date).toBeNull();
    expect(mail.parseProblems).toEqual([]);
  });

  it('reports an unreadable Date instead of using "now"', async () => {
    const mail = await parseMail(raw(['From: a@b.example', 'Date: <HR>', 'Subject: x', '', 'body']));
    expect(mail.date).toBeNull();
    expect(mail.parseProblems).toEqual(['unreadable Date header: <HR>']);
  });
});

describe('parseMail: malformed input is read, never thrown', () => {
  it('skips a UTF-8 BOM and blank lines before the headers', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), simple]);
    const mail = await parseMail(bom);
    expect(mail.subject).toBe('Drucker defekt – bitte helfen');
    expect(mail.from?.address).toBe('jane@customer.example');
    expect(mail.byteSize).toBe(bom.length);
    const blank = await parseMail(Buffer.concat([Buffer.from('   \r\n\r\n'), simple]));
    expect(blank.messageId).toBe('<abc.123@customer.example>');
    expect(blank.parseProblems).toEqual([]);
  });

  it('keeps going after a header continuation without leading whitespace', async () => {
    const mail = await parseMail(
      raw([
        'From: a@b.example',
        'Subject: R: R: I: FR-selca',
        'x-diagnostics: 1;AM4PR01;6:1Y77VdiYZvwhWtdzFszn6F8yBYOr9DiSFIBUWJ8SQrYO',
        'P8FxVksOO2tmFWl+LxT0Acgv7RaCFBKFmzA31fwJabrvuEaFINDvMVgEV9Cc41bylhc13tqhso5',
        'Content-Type: multipart/alternative; boundary="b1"',
        'MIME-Version: 1.0',
        '',
        '--b1',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'plain body',
        '--b1',
        'Content-Type: text/html; charset=us-ascii',
        '',
        '<p>html body</p>',
        '--b1--',
        '',
      ]),
    );
    expect(mail.subject).toBe('R: R: I: FR-selca');
    expect(mail.text.trim()).toBe('plain body');
    expect(mail.html).toBe('<p>html body</p>');
    expect(mail.headers['content-type']).toEqual(['multipart/alternative; boundary="b1"']);
    expect(mail.parseProblems).toEqual(['1 malformed header line(s) without a field name, read as continuations']);
  });

  it('decodes raw 8-bit headers in the declared charset', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('From: =?iso-8859-1?Q?J=FCrgen?= <j@b.example>\r\nSubject: ', 'latin1'),
      Buffer.from('Grüße aus Köln', 'latin1'),
      Buffer.from('\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nK', 'latin1'),
      Buffer.from([0xf6]),
      Buffer.from('ln\r\n'),
    ]);
    const mail = await parseMail(latin1);
    expect(mail.subject).toBe('Grüße aus Köln');
    expect(mail.from).toEqual({ address: 'j@b.example', name: 'Jürgen' });
    expect(mail.text.trim()).toBe('Köln');
    const utf8 = await parseMail(Buffer.from('From: a@b.example\r\nSubject: Grüße ✓\r\n\r\nx', 'utf8'));
    expect(utf8.subject).toBe('Grüße ✓');
  });

  it('turns an empty buffer, binary garbage and header-less text into a mail with problems', async () => {
    const empty = await parseMail(Buffer.alloc(0));
    expect(empty.subject).toBe('');
    expect(empty.text).toBe('');
    expect(empty.byteSize).toBe(0);
    expect(empty.parseProblems.length).toBeGreaterThan(0);

    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const junk = await parseMail(garbage);
    expect(junk.byteSize).toBe(4096);
    expect(typeof junk.subject).toBe('string');
    expect(junk.text).not.toContain('\u0000');
    expect(junk.parseProblems.length).toBeGreaterThan(0);

    const prose = await parseMail(Buffer.from('Lorem ipsum dolor sit amet\nconsectetur adipisicing elit\n'));
    expect(prose.parseProblems).toContain('no header fields found: the whole message is kept as text');
    expect(prose.text).toContain('Lorem ipsum dolor sit amet');
  });

  it('falls back to a raw reading when the MIME parser gives up', async () => {
    const mail = await parseMail(simple, { timeoutMs: 0 });
    expect(mail.parseProblems[0]).toMatch(/^the MIME structure could not be read \(mail parser gave up after 0 ms\)/);
    expect(mail.subject).toBe('Drucker defekt – bitte helfen');
    expect(mail.from).toEqual({ address: 'jane@customer.example', name: 'Jane Doe' });
    expect(mail.messageId).toBe('<abc.123@customer.example>');
    expect(mail.text).toContain('Hallo, der Drucker geht nicht.');
  });

  it('reports a multipart without boundary and strips NUL characters', async () => {
    const mail = await parseMail(
      raw(['From: a@b.example', 'Content-Type: multipart/mixed', 'Subject: a\u0000b', '', 'text\u0000 with NUL', '']),
    );
    expect(mail.parseProblems).toContain('multipart message without a boundary: read as a single part');
    expect(mail.subject).toBe('ab');
    expect(mail.text).not.toContain('\u0000');
  });

  it('survives deep nesting and reports it', async () => {
    const depth = 200;
    const lines = [
      'From: a@b.example',
      'Subject: deep',
      'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="b0"`,
      '',
    ];
    for (let i = 0; i < depth; i++) lines.push(`--b${i}`, `Content-Type: multipart/mixed; boundary="b${i + 1}"`, '');
    lines.push(`--b${depth}`, 'Content-Type: text/plain', '', 'the bottom', `--b${depth}--`);
    for (let i = depth - 1; i >= 0; i--) lines.push(`--b${i}--`);
    const mail = await parseMail(raw(lines));
    expect(mail.text).toContain('the bottom');
    expect(mail.parseProblems.some((p) => /nested \d+ deep/.test(p))).toBe(true);
  });

  it('falls back when a mail has more parts than allowed', async () => {
    const lines = ['From: a@b.example', 'Subject: many', 'Content-Type: multipart/mixed; boundary="x"', ''];
    for (let i = 0; i < 30; i++) lines.push('--x', 'Content-Type: text/plain', '', `part ${i}`);
    lines.push('--x--', '');
    const mail = await parseMail(raw(lines), { maxParts: 10 });
    expect(mail.subject).toBe('many');
    expect(mail.parseProblems[0]).toMatch(/^the MIME structure could not be read/);
    expect(mail.text).toContain('part 29');
  });

  it('reads a To of thousands of addresses with the plain header reader, keeping every address', async () => {
    // mailparser's address tokenizer is quadratic: such a header is left to our own reader.
    const recipients = Array.from({ length: 3000 }, (_, i) => `"Person ${i}" <person${i}@big.example>`);
    const mail = await parseMail(
      raw([
        'From: Ana <ana@customer.example>',
        `To: ${recipients.join(',\r\n\t')}`,
        'Cc: desk@demo.example',
        'Subject: Everyone',
        'Content-Type: text/plain',
        '',
        'Hello all.',
      ]),
    );
    expect(mail.to).toHaveLength(3000);
    expect(mail.to[0]).toEqual({ address: 'person0@big.example', name: 'Person 0' });
    expect(mail.to[2999]).toEqual({ address: 'person2999@big.example', name: 'Person 2999' });
    expect(mail.cc).toEqual([{ address: 'desk@demo.example', name: '' }]);
    expect(mail.from).toEqual({ address: 'ana@customer.example', name: 'Ana' });
    expect(mail.subject).toBe('Everyone');
    expect(mail.text.trim()).toBe('Hello all.');
    expect(mail.parseProblems).toEqual([expect.stringMatching(/^to header over 16 KiB/)]);
  });

  it('handles a 25 MB mail', async () => {
    const attachment = Buffer.alloc(18 * 1024 * 1024, 7);
    const base64 = attachment.toString('base64').replace(/.{76}/g, '$&\r\n');
    const big = raw([
      'From: a@b.example',
      'Subject: big',
      'Content-Type: multipart/mixed; boundary="big"',
      '',
      '--big',
      'Content-Type: text/plain',
      '',
      'see attachment',
      '--big',
      'Content-Type: application/octet-stream; name="dump.bin"',
      'Content-Transfer-Encoding: base64',
      '',
      base64,
      '--big--',
      '',
    ]);
    expect(big.length).toBeGreaterThan(24 * 1024 * 1024);
    const mail = await parseMail(big);
    expect(mail.byteSize).toBe(big.length);
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.size).toBe(attachment.length);
    expect(mail.attachments[0]!.content.equals(attachment)).toBe(true);
    expect(mail.text.trim()).toBe('see attachment');
  });
});

describe('parseMail: bodies and attachments', () => {
  const html = raw([
    'From: a@b.example',
    'Subject: pictures',
    'Content-Type: multipart/mixed; boundary="m"',
    '',
    '--m',
    'Content-Type: multipart/related; boundary="r"',
    '',
    '--r',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<html><head><style>p{}</style><script>alert(1)</script></head><body><p onclick="x()">Logo: <img src="cid:logo@x"></p>',
    '<p><img src="https://tracker.example/open.gif"><a href="javascript:alert(1)">click</a></p></body></html>',
    '--r',
    'Content-Type: image/png',
    'Content-ID: <logo@x>',
    'Content-Transfer-Encoding: base64',
    '',
    'iVBORw0KGgo=',
    '--r--',
    '--m',
    'Content-Type: application/ms-tnef',
    'Content-Transfer-Encoding: base64',
    '',
    'eJ8+IgAAAQ==',
    '--m',
    'Content-Type: application/pdf; name="=?UTF-8?Q?Rechnung_M=C3=A4rz.pdf?="',
    'Content-Disposition: attachment',
    'Content-Transfer-Encoding: base64',
    '',
    'JVBERi0=',
    '--m--',
    '',
  ]);

  it('sanitises HTML, rewrites cid links and blocks remote images', async () => {
    const mail = await parseMail(html, { cidUrl: (id) => `/files/${encodeURIComponent(id)}` });
    expect(mail.html).not.toMatch(/script|onclick|javascript|<style/i);
    expect(mail.html).toContain('src="/files/logo%40x"');
    expect(mail.html).toContain('data-remote-src="https://tracker.example/open.gif"');
    expect(mail.html).not.toMatch(/\ssrc="https:\/\/tracker/);
    expect(mail.text).toContain('Logo:');
    expect(mail.text).not.toContain('alert');
  });

  it('keeps every attachment with its bytes, names TNEF winmail.dat, marks cid images inline', async () => {
    const mail = await parseMail(html);
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.size, a.contentId, a.inline])).toEqual([
      ['attachment-1.png', 'image/png', 8, 'logo@x', true],
      ['winmail.dat', 'application/ms-tnef', 7, null, false],
      ['Rechnung März.pdf', 'application/pdf', 5, null, false],
    ]);
    expect(mail.attachments[2]!.content.toString('latin1')).toBe('%PDF-');
    expect(mail.html).toContain('src="cid:logo@x"');
  });

  it('derives text from HTML-only mail', async () => {
    const mail = await parseMail(
      raw([
        'From: a@b.example',
        'Content-Type: text/html',
        '',
        '<div>Line one<br>Line two</div><p>Para</p><script>x</script>',
      ]),
    );
    expect(mail.text).toBe('Line one\nLine two\n\nPara');
  });

  it('decodes format=flowed without merging a quote into the reply', async () => {
    const mail = await parseMail(
      raw([
        'From: a@b.example',
        'Content-Type: text/plain; charset="us-ascii"; format="flowed"',
        '',
        'On 04/02/2012 06:26 PM, Megan wrote:',
        '> Hi ',
        'Hello ',
        'world',
        '',
      ]),
    );
    expect(mail.text.trimEnd()).toBe('On 04/02/2012 06:26 PM, Megan wrote:\n> Hi\nHello world');
  });

  it('reads embedded originals and delivery status for classification', async () => {
    const mail = await parseMail(
      raw([
        'From: MAILER-DAEMON@mx.example',
        'Subject: Undelivered Mail Returned to Sender',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        '',
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
        '--r',
        'Content-Type: message/rfc822',
        '',
        'Message-ID: <out-7@helpdesk.example>',
        'Subject: Re: Printer [Ticket#7]',
        '',
        'original',
        '--r--',
        '',
      ]),
    );
    expect(mail.embedded.topContentType).toBe('multipart/report');
    expect(mail.embedded.reportType).toBe('delivery-status');
    expect(mail.embedded.deliveryStatus[0]).toContain('Action: failed');
    expect(mail.embedded.embeddedHeaders[0]!['message-id']).toEqual(['<out-7@helpdesk.example>']);
    expect(mail.parts.map((p) => p.contentType)).toContain('message/delivery-status');
  });
});

describe('helpers', () => {
  it('decodeFlowed respects quote depth, space-stuffing, delsp and signatures', () => {
    expect(decodeFlowed('a \nb\n', false)).toBe('a b\n');
    expect(decodeFlowed('> a \n> b\nc', false)).toBe('> a b\nc');
    expect(decodeFlowed('> a \nb', false)).toBe('> a\nb');
    expect(decodeFlowed(' From me\n', false)).toBe('From me\n');
    expect(decodeFlowed('ab \ncd', true)).toBe('abcd');
    expect(decodeFlowed('x \n-- \nsig', false)).toBe('x\n-- \nsig');
  });

  it('decodeWords joins adjacent words and survives unknown charsets', () => {
    expect(decodeWords('=?UTF-8?B?w6Q=?= =?UTF-8?B?w7Y=?= x')).toBe('äö x');
    expect(decodeWords('=?UTF-8?Q?=C3?= =?UTF-8?Q?=A4?=')).toBe('ä');
    expect(decodeWords('=?x-unknown-charset?Q?abc?=')).toBe('abc');
    expect(decodeWords('=?iso-2022-jp?B?GyRCJDMkcyRLJEEkTxsoQg==?=')).toBe('こんにちは');
    expect(decodeWords('no words')).toBe('no words');
  });

  it('parseParams reads quoted and RFC 2231 parameters', () => {
    expect(parseParams('multipart/report; report-type="delivery-status"; boundary=abc')).toEqual({
      value: 'multipart/report',
      params: { 'report-type': 'delivery-status', boundary: 'abc' },
    });
    expect(parseParams("attachment; filename*0*=UTF-8''M%C3%A4r; filename*1*=z.pdf").params.filename).toBe('März.pdf');
  });

  it('readHeaderBlock unfolds, lower-cases and skips an mbox From line', () => {
    const block = readHeaderBlock(
      Buffer.from('From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nX-A: 1\n 2\nx-a: 3\n\nbody'),
    );
    expect(block.headers).toEqual({ 'x-a': ['1 2', '3'] });
    expect(block.strayLines).toBe(0);
  });

  it('parseMailDate reads common variants', () => {
    expect(parseMailDate('Tue, 3 Feb 2026 10:15:00 +0100')?.toISOString()).toBe('2026-02-03T09:15:00.000Z');
    expect(parseMailDate('3 Feb 26 10:15:00 GMT')?.toISOString()).toBe('2026-02-03T10:15:00.000Z');
    expect(parseMailDate('Tue, 3 Feb 2026 10:15:00 +0100 (CET)')?.toISOString()).toBe('2026-02-03T09:15:00.000Z');
    expect(parseMailDate('garbage')).toBeNull();
    expect(parseMailDate(undefined)).toBeNull();
  });
});
