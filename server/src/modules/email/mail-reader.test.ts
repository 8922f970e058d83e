// Mail read in a reading thread is the same as mail read in-line: text, HTML, addresses, dates,
// classification and attachment bytes (which cross threads as Uint8Arrays and come back Buffers).
import { afterAll, describe, expect, it } from 'vitest';
import { MailReader } from './mail-reader.js';

const threaded = new MailReader(2);
const inline = new MailReader(0);
afterAll(() => threaded.close());

const mail = Buffer.from(
  [
    'From: "Ana Díaz" <ana@customer.test>',
    'To: support@demo.test',
    'Subject: =?UTF-8?Q?Factura_n=C2=BA_7?=',
    'Date: Tue, 3 Nov 2026 10:00:00 +0100',
    'Message-ID: <reader-1@customer.test>',
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Hola <b>equipo</b><script>alert(1)</script></p>',
    '--b1',
    'Content-Type: application/pdf; name="factura.pdf"',
    'Content-Disposition: attachment; filename="factura.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF-1.4 invoice bytes').toString('base64'),
    '--b1--',
    '',
  ].join('\r\n'),
);

describe('the mail reader', () => {
  it('gives the same mail from a reading thread as in-line, attachments as Buffers', async () => {
    const [fromThread, fromHere] = await Promise.all([threaded.read(mail), inline.read(mail)]);
    expect(fromThread).toEqual(fromHere);
    expect(fromThread.mail.subject).toBe('Factura nº 7');
    expect(fromThread.mail.date).toEqual(new Date('2026-11-03T09:00:00Z'));
    expect(fromThread.mail.html).not.toContain('<script');
    expect(fromThread.verdict.isAutoReply).toBe(true);
    const [pdf] = fromThread.mail.attachments;
    expect(Buffer.isBuffer(pdf!.content)).toBe(true);
    expect(pdf!.content.toString()).toBe('%PDF-1.4 invoice bytes');
  });

  it('reads many mails side by side, each its own', async () => {
    const mails = Array.from({ length: 40 }, (_, i) =>
      Buffer.from(`From: s${i}@x.test\r\nSubject: number ${i}\r\n\r\nbody ${i}\r\n`),
    );
    const read = await Promise.all(mails.map((m) => threaded.read(m)));
    expect(read.map((r) => r.mail.subject)).toEqual(mails.map((_, i) => `number ${i}`));
  });
});
