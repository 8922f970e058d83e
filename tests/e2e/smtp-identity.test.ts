// My email identity in Chromium against a real server and a real SMTP server that checks the
// password: an agent saves their own server, tests it, and sees the result.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { horizontalOverflow, launchBrowser, openPage, signIn, type OpenPage } from '../support/browser.js';
import { startSmtpServer, type SmtpTestServer } from '../support/mail-servers.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
let smtp: SmtpTestServer;
const opened: OpenPage[] = [];

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser, smtp] = await Promise.all([
    startTestStack(),
    launchBrowser(),
    startSmtpServer({ auth: { user: 'sam', pass: 'right-password' } }),
  ]);
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

describe('my email identity', () => {
  test('an agent saves their own SMTP server, sees a wrong password refused, then a working one', async () => {
    const tab = await openPage(browser, stack.url, { viewport: { width: 1100, height: 1100 } });
    opened.push(tab);
    const { page } = tab;
    await signIn(page, 'agent2@demo.test');
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('menuitem', { name: 'My email identity' }).click();
    await page.getByRole('heading', { level: 1, name: 'My email identity' }).waitFor();

    await page.getByLabel('From address').fill('sam@own.test');
    await page.getByLabel('SMTP server').fill('127.0.0.1');
    await page.getByLabel('Port').fill(String(smtp.port));
    await page.getByLabel('Security').selectOption('NONE');
    await page.getByLabel('Username').fill('sam');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connection failed').waitFor();
    await page
      .getByText(/Invalid username or password/)
      .first()
      .waitFor();

    await page.getByLabel('Password').fill('right-password');
    await page.getByRole('button', { name: 'Save' }).click();
    // Saved: the write-only field empties itself.
    await page.waitForFunction("document.querySelector('input[type=\"password\"]').value === ''");
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('Connection works').waitFor();
    expect(await page.getByLabel('Password').getAttribute('placeholder')).toContain('Saved');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/smtp-identity.png` });

    await page.setViewportSize({ width: 390, height: 900 });
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
