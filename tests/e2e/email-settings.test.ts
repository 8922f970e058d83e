// Settings → Email addresses, in Chromium against a real server: an admin adds a support address
// through the form, tests its SMTP (a real test server) and IMAP (a closed port) connections, and
// finds it in the list with its colour.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { horizontalOverflow, launchBrowser, openPage, pathname, signIn, type OpenPage } from '../support/browser.js';
import { startSmtpServer, type SmtpTestServer } from '../support/mail-servers.js';
import { createSupportAddress } from '../support/support-address.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
let smtp: SmtpTestServer;
const opened: OpenPage[] = [];

async function open(options?: Parameters<typeof openPage>[2]): Promise<OpenPage> {
  const tab = await openPage(browser, stack.url, options);
  opened.push(tab);
  return tab;
}

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser, smtp] = await Promise.all([startTestStack(), launchBrowser(), startSmtpServer()]);
});

afterEach(async () => {
  for (const tab of opened.splice(0)) {
    expect(tab.pageErrors, 'uncaught errors in the page').toEqual([]);
    await tab.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await smtp?.close();
  await stack?.close();
});

describe('email address settings', () => {
  test('an admin adds an address, tests SMTP and IMAP, and sees it listed with its colour', async () => {
    const imapPort = await closedPort();
    const { page } = await open({ viewport: { width: 1280, height: 1500 } });
    await signIn(page, 'admin@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL('**/settings/email');
    await page.getByRole('heading', { level: 1, name: 'Email addresses' }).waitFor();

    await page.getByRole('button', { name: 'Add address' }).first().click();
    const form = page.getByRole('form', { name: 'New address' });
    await form.waitFor();
    // Helpful defaults.
    expect(await form.getByLabel('IMAP port').inputValue()).toBe('993');
    expect(await form.getByLabel('SMTP port').inputValue()).toBe('587');
    expect(await form.getByLabel('Security').inputValue()).toBe('STARTTLS');

    // Empty required fields are flagged next to them.
    await form.getByRole('button', { name: 'Add address' }).click();
    await form.getByText('Give the address a name customers will see').waitFor();
    expect(await form.getByLabel('Display name').getAttribute('aria-invalid')).toBe('true');

    await form.getByLabel('Display name').fill('Billing Desk');
    await form.getByLabel('Email address').fill('billing-desk@demo.test');
    await form.getByLabel('Custom colour').fill('#e0569a');
    await form.getByLabel('IMAP host').fill('127.0.0.1');
    await form.getByLabel('IMAP port').fill(String(imapPort));
    await form.getByLabel('Use TLS').uncheck();
    await form.getByLabel('IMAP user').fill('billing');
    await form.getByLabel('IMAP password').fill('imap-secret');
    await form.getByLabel('SMTP host').fill('127.0.0.1');
    await form.getByLabel('Security').selectOption('NONE');
    await form.getByLabel('SMTP port').fill(String(smtp.port));
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-email-form.png` });
    await form.getByRole('button', { name: 'Add address' }).click();
    await form.waitFor({ state: 'detached' });
    await page.getByText('billing-desk@demo.test was added').waitFor();

    const row = page.getByRole('list', { name: 'Email addresses' }).getByRole('listitem', { name: 'Billing Desk' });
    await row.waitFor();
    expect(await row.innerText()).toContain('billing-desk@demo.test');
    expect(await row.locator('[data-color]').getAttribute('data-color')).toBe('#e0569a');
    const swatch = await row
      .locator('[data-color]')
      .evaluate((element) => (element as unknown as { style: { background: string } }).style.background);
    expect(swatch).toContain('rgb(224, 86, 154)');

    await row.getByRole('button', { name: 'Test SMTP' }).click();
    const success = row.getByRole('status').filter({ hasText: 'SMTP connection works' });
    await success.waitFor();
    expect((await success.innerText()).length).toBeGreaterThan('SMTP connection works'.length);

    await row.getByRole('button', { name: 'Test IMAP' }).click();
    const failure = row.getByRole('alert').filter({ hasText: 'IMAP connection failed' });
    await failure.waitFor();
    expect(await failure.innerText()).toMatch(/ECONNREFUSED|refused|connect/i);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-email-settings.png` });

    // The list survives a reload, with the colour from the server.
    await page.reload();
    await page.getByRole('listitem', { name: 'Billing Desk' }).locator('[data-color="#e0569a"]').waitFor();

    // Editing keeps the stored password when the field is left empty.
    await page.getByRole('listitem', { name: 'Billing Desk' }).getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit address' });
    await edit.getByText('Leave empty to keep the stored password.').first().waitFor();
    await edit.getByLabel('Display name').fill('Billing');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('listitem', { name: 'Billing', exact: true }).waitFor();
  });

  test('server field errors appear next to the field', async () => {
    const { page } = await open();
    await signIn(page, 'admin@demo.test');
    await page.goto('/settings/email');
    await page.getByRole('button', { name: 'Add address' }).first().click();
    const form = page.getByRole('form', { name: 'New address' });
    await form.getByLabel('Display name').fill('Bad host');
    await form.getByLabel('Email address').fill('bad-host@demo.test');
    await form.getByLabel('IMAP host').fill('not a host!');
    await form.getByLabel('IMAP user').fill('x');
    await form.getByLabel('IMAP password').fill('x');
    await form.getByLabel('SMTP host').fill('127.0.0.1');
    await form.getByRole('button', { name: 'Add address' }).click();
    await form.getByText('Not a host name').waitFor();
    expect(await form.getByLabel('IMAP host').getAttribute('aria-invalid')).toBe('true');
  });

  test('agents have no settings', async () => {
    const { page } = await open();
    await signIn(page, 'agent1@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()).toBe(
      0,
    );
    await page.goto('/settings/email');
    await page.waitForURL('**/inbox');
    expect(pathname(page)).toBe('/inbox');
  });

  test('templates: editing shows a live preview', async () => {
    const { page } = await open({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@demo.test');
    await page.goto('/settings/templates');
    await page.getByRole('heading', { level: 1, name: 'Mail templates' }).waitFor();
    const subject = page.getByLabel('Subject');
    await subject.fill('Hello about {{ ticket_number }}');
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText(/^Hello about \S+/).waitFor();
    expect(await preview.innerText()).not.toContain('{{');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-templates.png`, fullPage: true });
  });

  test('incoming mail in the timeline: route, subject, quoted text, HTML, auto-replies and parse problems', async () => {
    const admin = await stack.login('admin@demo.test');
    const addressId = await createSupportAddress(admin, {
      displayName: 'Timeline Desk',
      address: 'timeline-desk@demo.test',
      smtpPort: smtp.port,
    });
    const first = [
      'From: Robin Reader <robin@customer.test>',
      'To: timeline-desk@demo.test',
      'Cc: boss@customer.test',
      'Subject: Printer on fire again',
      'Message-ID: <printer-1@customer.test>',
      'Date: Sun, 22 Nov 2026 09:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The printer is smoking again, please help.',
      '',
      'On Sat, 21 Nov 2026, Support <timeline-desk@demo.test> wrote:',
      '> Did you try turning it off and on again?',
      '',
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>The printer is <b>smoking</b> again, please help.</p><img src="https://images.example.test/fire.png" alt="fire">',
      '--b1--',
      '',
    ].join('\r\n');
    await stack.runtime.services.mailIngest.ingest(addressId, Buffer.from(first), null);
    const autoReply = [
      'From: Boss <boss@customer.test>',
      'To: timeline-desk@demo.test',
      'Subject: Out of office: Printer on fire again',
      'Message-ID: <ooo-1@customer.test>',
      'In-Reply-To: <printer-1@customer.test>',
      'References: <printer-1@customer.test>',
      'Auto-Submitted: auto-replied',
      'Date: Sun, 22 Nov 2026 09:01:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'I am away until Monday.',
      '',
    ].join('\r\n');
    await stack.runtime.services.mailIngest.ingest(addressId, Buffer.from(autoReply), null);
    const found = await admin.data<{ tickets: { nodes: { id: string }[] } }>(
      `{ tickets(filter: { query: "Printer on fire" }) { nodes { id } } }`,
    );
    const ticketId = found.tickets.nodes[0]!.id;

    const { page } = await open({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, 'agent1@demo.test');
    await page.goto(`/tickets/${ticketId}`);
    const mail = page.locator('[data-kind="EMAIL_IN"]').filter({ hasText: 'Printer on fire again' }).first();
    await mail.waitFor();
    const text = await mail.innerText();
    expect(text).toContain('robin@customer.test');
    expect(text).toContain('→ timeline-desk@demo.test');
    expect(text).toContain('cc boss@customer.test');
    expect(text).toContain('The printer is smoking again');
    expect(text).not.toContain('turning it off and on again');
    await mail.getByRole('button', { name: 'Show quoted text' }).click();
    await mail.getByText('turning it off and on again').waitFor();
    await mail.getByRole('button', { name: 'Hide quoted text' }).click();

    const auto = page.locator('[data-kind="EMAIL_IN"]').filter({ hasText: 'I am away until Monday' });
    await auto.getByText('Auto-reply', { exact: true }).waitFor();

    await mail.getByRole('button', { name: 'View HTML' }).click();
    const frame = mail.locator('iframe');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    const html = (await frame.getAttribute('srcdoc')) ?? '';
    expect(html).toContain('smoking');
    expect(html).not.toMatch(/<img[^>]*\ssrc=/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-email-timeline.png` });
    const load = mail.getByRole('button', { name: 'Load remote images' });
    if (await load.count()) {
      await load.click();
      expect(await frame.getAttribute('srcdoc')).toMatch(/<img[^>]*\ssrc="https:\/\/images\.example\.test\/fire\.png"/);
    }
  });

  test('the settings page fits a phone screen', async () => {
    const { page } = await open({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'admin@demo.test');
    await page.goto('/settings/email');
    await page.getByRole('heading', { level: 1, name: 'Email addresses' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-email-settings-phone.png`, fullPage: true });
  });
});
