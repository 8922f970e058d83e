// Webhook deliveries in the execution log, in Chromium against a real server and a real local
// receiver: a call the receiver refused shows as failed with its error, and "Retry now" sends it
// again at once and shows it delivered.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { launchBrowser, openPage, signIn, type OpenPage } from '../support/browser.js';
import { automationEngine, settleAutomation } from '../support/automation.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
let receiver: http.Server;
const answers = [404];
let calls = 0;
const opened: OpenPage[] = [];

/** What the workers do: passes of the engine until nothing is left. */
const runEngine = () => settleAutomation(automationEngine(stack), 20);

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  receiver = http.createServer((req, res) => {
    calls += 1;
    req.resume();
    req.on('end', () => res.writeHead(answers.shift() ?? 200).end());
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  await runEngine(); // the demo data: no rules yet
});

afterEach(async () => {
  for (const tab of opened.splice(0)) {
    expect(tab.pageErrors, 'uncaught errors in the page').toEqual([]);
    await tab.close();
  }
});

afterAll(async () => {
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  await browser?.close();
  await stack?.close();
});

describe('webhook deliveries', () => {
  test('a manager sees a failed delivery in the log and retries it', async () => {
    const admin = await stack.login('admin@demo.test');
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tickets`;
    await admin.data('mutation($input: AutomationRuleInput!) { createAutomationRule(input: $input) { id } }', {
      input: {
        name: 'Tell the CRM',
        trigger: { type: 'TICKET_CREATED' },
        actions: [{ type: 'WEBHOOK', url, secret: 'crm-secret-1' }],
      },
    });
    const agent = await stack.login('agent1@demo.test');
    await agent.data('mutation { createTicket(input: { title: "Hook me", description: "x" }) { id } }');
    await runEngine();
    expect(calls).toBe(1);

    const tab = await openPage(browser, stack.url, { viewport: { width: 1280, height: 1000 } });
    opened.push(tab);
    const { page } = tab;
    await signIn(page, 'manager@demo.test');
    await page.goto('/settings/automation');
    await page
      .getByRole('region', { name: 'Rules' })
      .getByRole('button', { name: /^Tell the CRM/ })
      .click();
    const log = page.getByRole('region', { name: 'Execution log of Tell the CRM' });
    const deliveries = log.getByRole('list', { name: 'Webhook deliveries' });
    await deliveries.getByText('Failed').waitFor();
    await deliveries.getByText('HTTP 404').waitFor();
    await deliveries.getByText('attempt 1 of 6').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/webhook-delivery-failed.png`, fullPage: true });

    await deliveries.getByRole('button', { name: `Retry now: ${url}` }).click();
    await deliveries.getByText('Delivered').waitFor();
    await deliveries.getByText('attempt 2 of 6').waitFor();
    await page.getByText('Webhook delivered').waitFor();
    expect(await deliveries.getByRole('button', { name: /Retry now/ }).count()).toBe(0);
    await log.getByText('Ran').waitFor(); // the run counts as succeeded once its webhook went through
    expect(calls).toBe(2);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/webhook-delivery-retried.png`, fullPage: true });
  });
});
