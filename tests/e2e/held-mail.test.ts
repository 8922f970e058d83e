// Held mail review in Chromium against a real server: a manager finds mail the per-sender limit
// held back, releases one (its ticket opens) and discards another.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { launchBrowser, openPage, signIn, type OpenPage } from '../support/browser.js';
import { createSupportAddress } from '../support/support-address.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
const opened: OpenPage[] = [];

function mail(n: number, subject: string): Buffer {
  return Buffer.from(
    `From: Flo <flood@held-ui.test>\r\nSubject: ${subject}\r\nMessage-ID: <hu-${n}@held-ui.test>\r\nContent-Type: text/plain\r\n\r\nAbout ${subject}.\r\n`,
  );
}

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack({ env: { MAIL_SENDER_TICKETS_PER_HOUR: 1 } }), launchBrowser()]);
});

afterEach(async () => {
  for (const tab of opened.splice(0)) {
    expect(tab.pageErrors, 'uncaught errors in the page').toEqual([]);
    await tab.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('held mail', () => {
  test('a manager releases one held mail into a ticket and discards another', async () => {
    const admin = await stack.login('admin@demo.test');
    const addressId = await createSupportAddress(admin, { displayName: 'Held desk', address: 'held-ui@demo.test' });
    const ingest = stack.runtime.services.mailIngest;
    await ingest.ingest(addressId, mail(1, 'Broken stapler'), null);
    expect(await ingest.ingest(addressId, mail(2, 'Broken chair'), null)).toBe('held');
    expect(await ingest.ingest(addressId, mail(3, 'Win a prize'), null)).toBe('held');

    const tab = await openPage(browser, stack.url, { viewport: { width: 1280, height: 900 } });
    opened.push(tab);
    const { page } = tab;
    await signIn(page, 'manager@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Held mail' }).click();
    await page.getByRole('heading', { level: 1, name: 'Held mail' }).waitFor();
    const list = page.getByRole('list', { name: 'Held mail' });
    await list.getByRole('listitem', { name: 'Win a prize' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/held-mail.png` });

    await list.getByRole('listitem', { name: 'Win a prize' }).getByRole('button', { name: 'Discard…' }).click();
    await list
      .getByRole('listitem', { name: 'Win a prize' })
      .getByRole('button', { name: 'Discard', exact: true })
      .click();
    await list.getByRole('listitem', { name: 'Win a prize' }).waitFor({ state: 'detached' });

    await list.getByRole('listitem', { name: 'Broken chair' }).getByRole('button', { name: 'Release' }).click();
    await page.getByRole('link', { name: 'open its ticket' }).click();
    await page.getByRole('heading', { name: 'Broken chair' }).waitFor();
  });

  test('agents are told the page is not for them', async () => {
    const tab = await openPage(browser, stack.url);
    opened.push(tab);
    await signIn(tab.page, 'agent1@demo.test');
    await expect(
      tab.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Held mail' }).count(),
    ).resolves.toBe(0);
    await tab.page.goto('/held-mail');
    await tab.page.getByText('Held mail is for admins and managers').waitFor();
  });
});
