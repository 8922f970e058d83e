// The notification centre and preferences, in Chromium against a real server: an agent finds the
// critical ticket from the demo data, watches a mention arrive live, marks notifications read and
// unread, follows a notification's link, and sets their preferences with the keyboard.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { horizontalOverflow, launchBrowser, openPage, pathname, signIn, type OpenPage } from '../support/browser.js';
import type { GraphQLTestClient } from '../support/graphql-client.js';
import { acrossTenants, forTenant } from '../../server/src/db/tenant-scope.js';
import { User } from '../../server/src/modules/users/user.entity.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
let agent1: GraphQLTestClient;
let sam: User;
const opened: OpenPage[] = [];

/** Runs in the page: whether the element has the keyboard focus (tests compile without the DOM library). */
function isFocused(element: unknown): boolean {
  const el = element as { ownerDocument: { activeElement: unknown } };
  return el.ownerDocument.activeElement === el;
}

async function open(options?: Parameters<typeof openPage>[2]): Promise<OpenPage> {
  const tab = await openPage(browser, stack.url, options);
  opened.push(tab);
  return tab;
}

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  agent1 = await stack.login('agent1@demo.test');
  sam = await acrossTenants(stack.runtime.services.orm.em).findOneOrFail(User, { email: 'agent2@demo.test' });
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

describe('notification centre', () => {
  test('lists, filters, marks read and unread, updates live and follows links', async () => {
    // A notification that leads somewhere other than a ticket (as team chat's would).
    const em = forTenant(stack.runtime.services.orm.em, sam.tenant.id);
    await em.transactional((tx) =>
      stack.runtime.services.notifications.notifyUser(tx, {
        tenantId: sam.tenant.id,
        userId: sam.id,
        kind: 'AUTOMATION',
        title: 'Rule “Unassigned for 2 h” asks you to look at the queue',
        link: '/inbox?assignee=unassigned',
      }),
    );

    const { page } = await open({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, 'agent2@demo.test');
    await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
    await page.getByRole('link', { name: 'View all notifications' }).click();
    await page.waitForURL('**/notifications');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    const list = page.getByRole('list', { name: 'Notifications' });
    // The demo's critical × critical ticket reached every agent.
    await list.getByRole('button', { name: /^Critical ticket #\d+ / }).waitFor();
    const lead = page.locator('.sb-page__lead');
    const before = Number(/^(\d+) unread$/.exec((await lead.textContent()) ?? '')?.[1]);
    expect(before).toBeGreaterThanOrEqual(2); // the critical ticket and the rule, at least
    const unread = (n: number) => page.getByText(`${n} unread`, { exact: true }).waitFor();

    // Live: a mention shows up without a reload.
    const { createTicket } = await agent1.data<{ createTicket: { id: string } }>(
      'mutation { createTicket(input: { title: "Badge printer jams", description: "x" }) { id } }',
    );
    await agent1.data(
      'mutation($t: ID!, $b: String!) { addComment(input: { ticketId: $t, body: $b, internal: true }) { id } }',
      {
        t: createTicket.id,
        b: `@[Sam Agent](user:${sam.id}) please have a look`,
      },
    );
    await list.getByRole('button', { name: /^You were mentioned on #\d+ Badge printer jams/ }).waitFor();
    await unread(before + 1);

    // Mark one read, then unread again; the bell agrees.
    await list.getByRole('button', { name: /^Mark as read: Critical ticket/ }).click();
    await unread(before);
    await page.getByRole('button', { name: `Notifications, ${before} unread` }).waitFor();
    await list.getByRole('button', { name: /^Mark as unread: Critical ticket/ }).click();
    await unread(before + 1);

    // Unread only, then keyboard: ↓ moves between notifications, Enter opens the link one.
    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Unread', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await list.getByRole('button', { name: /^You were mentioned on #\d+ Badge printer jams$/ }).focus();
    await page.keyboard.press('ArrowDown');
    const rule = list.getByRole('button', { name: /^Rule “Unassigned/ });
    expect(await rule.evaluate(isFocused)).toBe(true);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-notification-centre.png` });
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inbox?assignee=unassigned');

    // Back in the centre, "Mark all read" empties the unread list.
    await page.goto('/notifications');
    await page.getByRole('button', { name: 'Unread', exact: true }).click();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await page.getByText('No unread notifications').waitFor();
    await page.getByText('You’re all caught up.').waitFor();
    await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
  });
});

describe('notification preferences', () => {
  test('an agent sets email per kind, quiet hours and time zone with the keyboard, and they stay', async () => {
    const { page } = await open({ viewport: { width: 1280, height: 1400 } });
    await signIn(page, 'agent1@demo.test');
    // From the account menu, by keyboard.
    await page.getByRole('button', { name: /account menu/ }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('menuitem', { name: 'Notification preferences' }).evaluate(isFocused)).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/notifications/preferences');
    const form = page.getByRole('form', { name: 'Notification preferences' });
    await form.waitFor();

    // The defaults.
    expect(await form.getByLabel('Mentions by email', { exact: true }).inputValue()).toBe('IMMEDIATELY');
    expect(await form.getByLabel('Watched tickets by email', { exact: true }).inputValue()).toBe('OFF');
    expect(await form.getByLabel('Watched tickets in the app', { exact: true }).isChecked()).toBe(true);
    expect(await form.getByRole('button', { name: 'Save preferences' }).isDisabled()).toBe(true);

    await form.getByLabel('Mentions by email', { exact: true }).selectOption('HOURLY_DIGEST');
    await form.getByLabel('Watched tickets in the app', { exact: true }).focus();
    await page.keyboard.press('Space');
    await form.getByLabel('Time zone', { exact: true }).selectOption('Europe/Berlin');
    await form.getByRole('checkbox', { name: /^Quiet hours/ }).check();
    await form.getByLabel('From', { exact: true }).fill('21:30');
    await form.getByLabel('Until', { exact: true }).fill('06:45');
    await form.getByLabel('Daily digest at', { exact: true }).selectOption('7');
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-notification-preferences.png`, fullPage: true });
    await form.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Notification preferences saved').waitFor();

    await page.reload();
    await form.waitFor();
    expect(await form.getByLabel('Mentions by email', { exact: true }).inputValue()).toBe('HOURLY_DIGEST');
    expect(await form.getByLabel('Watched tickets in the app', { exact: true }).isChecked()).toBe(false);
    expect(await form.getByLabel('Time zone', { exact: true }).inputValue()).toBe('Europe/Berlin');
    expect(await form.getByLabel('From', { exact: true }).inputValue()).toBe('21:30');
    expect(await form.getByLabel('Until', { exact: true }).inputValue()).toBe('06:45');
    const { notificationPreferences } = await agent1.data<{
      notificationPreferences: { quietHoursEnabled: boolean; dailyDigestHour: number };
    }>('{ notificationPreferences { quietHoursEnabled dailyDigestHour } }');
    expect(notificationPreferences).toEqual({ quietHoursEnabled: true, dailyDigestHour: 7 });
    expect(pathname(page)).toBe('/notifications/preferences');

    // On a phone nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});

describe('notification mail templates', () => {
  test('an admin finds the agent notification and digest templates in Settings → Templates, with a preview', async () => {
    const { page } = await open({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, 'admin@demo.test');
    await page.goto('/settings/templates');
    const events = page.getByRole('navigation', { name: 'Events' });
    await events.getByRole('button', { name: /^Agent notification/ }).waitFor();
    await events.getByRole('button', { name: /^Notification digest/ }).click();
    await page.getByRole('heading', { level: 2, name: 'Notification digest' }).waitFor();
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('2 notifications from Demo Support').waitFor();
    await preview.getByText(/#43 VPN drops every hour was assigned to you/).waitFor();
    expect(await preview.innerText()).not.toContain('{{');
  });
});
