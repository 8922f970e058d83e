// Moving a mis-threaded email in the ticket view, in Chromium against a real server: the agent
// picks the right ticket by number, the entry folds away live on the source, and the target shows
// the email with where it came from.
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

function mail(headers: Record<string, string>, body: string): Buffer {
  const lines = Object.entries({ 'Content-Type': 'text/plain; charset=utf-8', ...headers }).map(
    ([k, v]) => `${k}: ${v}`,
  );
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}\r\n`);
}

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
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

describe('moving an email', () => {
  test('an agent moves a mis-threaded email to the right ticket from the timeline', async () => {
    const admin = await stack.login('admin@demo.test');
    const addressId = await createSupportAddress(admin, { displayName: 'Move desk', address: 'move-ui@demo.test' });
    const ingest = stack.runtime.services.mailIngest;
    await ingest.ingest(
      addressId,
      mail(
        { From: 'cleo@move.test', Subject: 'Whiteboard markers', 'Message-ID': '<ui-1@move.test>' },
        'Out of markers.',
      ),
      null,
    );
    await ingest.ingest(
      addressId,
      mail(
        {
          From: 'dan@move.test',
          Subject: 'Re: Whiteboard markers',
          'Message-ID': '<ui-2@move.test>',
          'In-Reply-To': '<ui-1@move.test>',
        },
        'Unrelated: the coffee machine leaks.',
      ),
      null,
    );
    const found = await admin.data<{ tickets: { nodes: Array<{ id: string; number: number }> } }>(
      `{ tickets(filter: { query: "Whiteboard markers" }) { nodes { id number } } }`,
    );
    const source = found.tickets.nodes[0]!;
    const { createTicket: target } = await admin.data<{ createTicket: { id: string; number: number } }>(
      `mutation { createTicket(input: { title: "Coffee machine leaks", description: "Kitchen", requesterEmail: "dan@move.test" }) { id number } }`,
    );

    const { page } = await open();
    await signIn(page, 'agent1@demo.test');
    await page.goto(`/tickets/${source.id}`);
    const entryId = await page
      .locator('[data-kind="EMAIL_IN"]')
      .filter({ hasText: 'coffee machine leaks' })
      .getAttribute('data-event-id');
    const wrong = page.locator(`[data-event-id="${entryId}"]`);
    await wrong.hover();
    await wrong.getByRole('button', { name: 'Move to another ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'Move this email' });
    await dialog.getByLabel('Move to ticket').fill(`#${target.number}`);
    await dialog.getByRole('button', { name: /Coffee machine leaks/ }).click();

    await wrong.getByText(`This email was moved to #${target.number}`).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/email-moved-source.png` });
    await page
      .getByRole('link', { name: `#${target.number}` })
      .first()
      .click();
    await page.waitForURL(`**/tickets/${target.id}`);
    const arrived = page.locator('[data-kind="EMAIL_IN"]').filter({ hasText: 'coffee machine leaks' });
    await arrived.getByText(`Moved here from #${source.number}`).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/email-moved-target.png` });
  });
});

async function open(): Promise<OpenPage> {
  const tab = await openPage(browser, stack.url, { viewport: { width: 1280, height: 1000 } });
  opened.push(tab);
  return tab;
}
