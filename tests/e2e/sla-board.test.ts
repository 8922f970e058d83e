// A manager watches the SLA board while a tight policy breaches a ticket: the ticket appears at
// risk, then breached, on the board without a reload, and the breach is on the ticket's timeline.
// The timers run as the workers run them (SlaTimerPump), against a real server and database.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { launchBrowser, openSignedIn, type OpenPage } from '../support/browser.js';
import { SlaTimerPump } from '../../workers/src/sla/sla-timer-pump.js';

let stack: TestStack;
let browser: Browser;
let pump: SlaTimerPump;
const opened: OpenPage[] = [];

async function signedIn(email: string): Promise<Page> {
  const tab = await openSignedIn(browser, stack.url, email);
  opened.push(tab);
  return tab.page;
}

const count = async (page: Page, tone: string) =>
  Number(await page.locator(`[data-sla-count="${tone}"] .sla-count__value`).innerText());

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  pump = new SlaTimerPump(stack.runtime.services);
  pump.start();
});

afterEach(async () => {
  for (const tab of opened.splice(0)) {
    expect(tab.pageErrors, 'uncaught errors in the page').toEqual([]);
    await tab.close();
  }
});

afterAll(async () => {
  await pump?.stop();
  await browser?.close();
  await stack?.close();
});

describe('the SLA board', () => {
  test('shows a ticket going at risk and then breached, live, and the breach lands on its timeline', async () => {
    const manager = await stack.login('manager@demo.test');
    const agent = await stack.login('agent1@demo.test');
    // A tight default: one minute to the first response for critical × critical.
    await manager.data('mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id } }', {
      input: {
        name: 'War room',
        isDefault: true,
        targets: [
          {
            urgency: 'CRITICAL',
            importance: 'CRITICAL',
            firstResponseMinutes: 1,
            resolutionMinutes: 30,
          },
        ],
      },
    });

    const board = await signedIn('manager@demo.test');
    await board.getByRole('link', { name: 'SLA board' }).click();
    await board.getByRole('heading', { level: 1, name: 'SLA board' }).waitFor();
    await board.locator('[data-sla-count="breached"]').waitFor();
    const breachedBefore = await count(board, 'breached');
    // Marks this page: a reload would lose it.
    await board.evaluate(() => ((globalThis as unknown as { stillHere: boolean }).stillHere = true));

    const { me } = await agent.data<{ me: { id: string } }>('{ me { id } }');
    const { createTicket: ticket } = await agent.data<{ createTicket: { id: string; number: number } }>(
      'mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }',
      {
        input: {
          title: 'Production database unreachable',
          description: 'Every request fails with a connection timeout.',
          urgency: 'CRITICAL',
          importance: 'CRITICAL',
          requesterEmail: 'customer@demo.test',
          assigneeId: me.id,
        },
      },
    );

    // Half-way to the due time it is at risk (with a ticking countdown), then breached.
    const row = board.locator(`tr[data-ticket-id="${ticket.id}"]`);
    await row.locator('[data-sla-state="WARNING"]').waitFor({ timeout: 60_000 });
    await row.locator('.sla-countdown', { hasText: /First response: \d+s left/ }).waitFor();
    await row.locator('[data-sla-state="BREACHED"]').waitFor({ timeout: 60_000 });
    // The countdown ticks every second: it turns to "overdue" by the next tick at the latest.
    await row.locator('.sla-countdown', { hasText: /First response: overdue/ }).waitFor();
    expect(await count(board, 'breached')).toBe(breachedBefore + 1);
    // Breached tickets lead the list.
    const first = board.locator('tbody tr').first();
    expect(await first.locator('[data-sla-state]').getAttribute('data-sla-state')).toBe('BREACHED');
    expect(await board.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

    // The assignee opens the ticket: the breach is on the timeline and on the SLA panel.
    const alex = await signedIn('agent1@demo.test');
    await alex.goto(`/tickets/${ticket.id}`);
    await alex
      .getByRole('region', { name: 'Timeline' })
      .locator('[data-kind="SLA_BREACHED"]', { hasText: 'first response target missed' })
      .waitFor();
    await alex.locator('.sla-badge[data-sla-state="BREACHED"]').first().waitFor();
    // Recorded once, even though the pump, the job safety net and the ticket change all looked.
    const { ticket: seen } = await agent.data<{ ticket: { timeline: Array<{ kind: string }> } }>(
      'query($id: ID!) { ticket(id: $id) { timeline { kind } } }',
      { id: ticket.id },
    );
    expect(seen.timeline.filter((e) => e.kind === 'SLA_BREACHED')).toHaveLength(1);
    expect(seen.timeline.filter((e) => e.kind === 'SLA_WARNING')).toHaveLength(1);
  }, 180_000);
});
