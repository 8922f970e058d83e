// Settings → Automation, in Chromium against a real server: a manager builds a rule with the form
// (trigger, a condition, two actions), tries it against a ticket with the dry run, saves it, and
// watches it act on a new ticket (live on the ticket page, then in the rule's execution log).
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { launchBrowser, openPage, signIn, type OpenPage } from '../support/browser.js';
import { automationEngine, settleAutomation } from '../support/automation.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
const opened: OpenPage[] = [];

async function open(): Promise<OpenPage> {
  const tab = await openPage(browser, stack.url, { viewport: { width: 1280, height: 1400 } });
  opened.push(tab);
  return tab;
}

/** What the workers do: passes of the engine until nothing is left. */
const runEngine = () => settleAutomation(automationEngine(stack), 20);

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  await runEngine(); // the demo data: no rules yet
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

describe('automation rules', () => {
  test('a manager builds a rule, dry-runs it, and sees it act on a ticket', async () => {
    const { page } = await open();
    await signIn(page, 'manager@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automation' }).click();
    await page.waitForURL('**/settings/automation');
    await page.getByRole('heading', { level: 1, name: 'Automation' }).waitFor();
    await page.getByRole('button', { name: 'New rule' }).first().click();

    const form = page.getByRole('form', { name: 'Rule' });
    await form.getByLabel('Name').fill('Escalate VIP tickets');
    expect(await form.getByLabel('When').inputValue()).toBe('TICKET_CREATED');
    await form.getByRole('button', { name: 'Condition' }).click();
    await form.getByLabel('Field').selectOption('TAGS');
    await form.getByLabel('Operator').selectOption('CONTAINS');
    await form.getByLabel('Value').fill('vip');
    await form.getByLabel('Add an action').selectOption('SET_URGENCY');
    await form.getByLabel('Level').selectOption('CRITICAL');
    await form.getByLabel('Add an action').selectOption('ADD_NOTE');
    await form.getByLabel('Note').fill('VIP customer: handled first.');

    // Dry run against the demo's ticket #1, which has no vip tag.
    await form.getByLabel('Ticket number').fill('1');
    await form.getByRole('button', { name: 'Test against ticket' }).click();
    await form.getByText('Does not match ticket #1').waitFor();
    await form.getByText('tags contains vip').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/automation-rule-builder.png`, fullPage: true });

    await form.getByRole('button', { name: 'Create rule' }).click();
    const rules = page.getByRole('region', { name: 'Rules' });
    await rules.getByText('Escalate VIP tickets').waitFor();
    await rules.getByText('Ticket created · 1 condition · 2 actions').waitFor();
    await page
      .getByRole('region', { name: 'Execution log of Escalate VIP tickets' })
      .getByText('Not run yet')
      .waitFor();

    // A VIP ticket arrives; the agent has it open when the rule acts.
    const agent = await stack.login('agent1@demo.test');
    const { createTicket } = await agent.data<{ createTicket: { id: string; number: number } }>(
      'mutation { createTicket(input: { title: "Board meeting laptop broken", description: "Today", tags: ["vip"] }) { id number } }',
    );
    const { page: ticketPage } = await open();
    await signIn(ticketPage, 'agent1@demo.test');
    await ticketPage.goto(`/tickets/${createTicket.id}`);
    await ticketPage.getByText('Board meeting laptop broken').first().waitFor();
    await runEngine();
    await ticketPage.getByText('VIP customer: handled first.').waitFor();
    await ticketPage.getByText('Automation: Escalate VIP tickets').first().waitFor();

    // The saved rule is selected with its log, which shows the run once refreshed.
    const log = page.getByRole('region', { name: 'Execution log of Escalate VIP tickets' });
    await log.getByRole('button', { name: 'Refresh' }).click();
    await log.getByText(`#${createTicket.number}`).waitFor();
    await log.getByText('Ran').waitFor();
    await log.getByText('Set urgency to Critical').waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/automation-rules.png`, fullPage: true });
    await ticketPage.screenshot({ path: `${SCREENSHOT_DIR}/automation-on-ticket.png` });
  });

  test('agents neither see the page nor its navigation entry', async () => {
    const { page } = await open();
    await signIn(page, 'agent1@demo.test');
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Automation' }).count()).toBe(
      0,
    );
    await page.goto('/settings/automation');
    await page.waitForURL('**/inbox');
  });
});
