// Two agents in their own browsers use the team chat against a real server: presence, a direct
// conversation with typing and unread badges, mentions, a live ticket card in #general, edits and
// deletes on the other screen, and "add to ticket".
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { horizontalOverflow, launchBrowser, openPage, openSignedIn, type OpenPage } from '../support/browser.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
const opened: OpenPage[] = [];

async function signedIn(email: string, options?: Parameters<typeof openPage>[2]): Promise<Page> {
  const tab = await openSignedIn(browser, stack.url, email, options);
  opened.push(tab);
  return tab.page;
}

const messages = (page: Page) => page.getByRole('log', { name: 'Messages' });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message' });

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

describe('team chat', () => {
  test('two agents chat live: presence, typing, unread badges, mentions, edits and deletes', async () => {
    const [alex, sam] = await Promise.all([signedIn('agent1@demo.test'), signedIn('agent2@demo.test')]);

    // Sam opens the full-page chat and starts a conversation with Alex, who is online.
    await sam.goto('/chat');
    await sam.getByRole('heading', { name: 'Team chat', level: 1 }).waitFor();
    await sam.getByRole('button', { name: 'New direct message' }).click();
    const picker = sam.getByRole('group', { name: 'New direct message' });
    await picker.getByRole('img', { name: 'Alex Agent is online' }).waitFor();
    await picker.getByRole('button', { name: /Alex Agent/ }).click();
    await picker.getByRole('button', { name: 'Start conversation' }).click();
    await sam.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    await sam.getByRole('heading', { level: 2, name: 'Alex Agent' }).waitFor();
    await sam.getByRole('heading', { level: 2 }).getByRole('img', { name: 'Alex Agent is online' }).waitFor();

    // Sam writes; Alex, on the inbox, sees the unread badge and opens the docked panel with Alt+C.
    await composer(sam).fill('Hi Alex, got a minute for the Leeds printer?');
    await composer(sam).press('Enter');
    await messages(sam).getByText('Hi Alex, got a minute for the Leeds printer?').waitFor();
    expect(await composer(sam).inputValue()).toBe('');
    await alex.goto('/inbox');
    await alex.getByRole('button', { name: 'Team chat, 1 unread' }).waitFor();
    await alex.keyboard.press('Alt+C');
    const panel = alex.getByRole('complementary', { name: 'Team chat' });
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Sam Agent, 1 unread' }).click();
    await messages(alex).getByText('Hi Alex, got a minute for the Leeds printer?').waitFor();
    // Reading it clears the badge.
    await alex.getByRole('button', { name: 'Team chat', exact: true }).waitFor();

    // Alex types: Sam sees it, and it stops when Alex sends.
    await composer(alex).fill('Sure, one sec');
    await sam.getByText('Alex is typing…').waitFor();
    await composer(alex).press('Enter');
    await messages(sam).getByText('Sure, one sec').waitFor();
    await sam.getByText('Alex is typing…').waitFor({ state: 'detached' });

    // Alex mentions Sam through the autocomplete; Sam sees the mention and the bell rings.
    await composer(alex).fill('Ping @Sa');
    await alex
      .getByRole('listbox', { name: 'People to mention' })
      .getByRole('option', { name: /Sam Agent/ })
      .click();
    expect(await composer(alex).inputValue()).toBe('Ping @Sam Agent ');
    await composer(alex).press('Enter');
    await messages(sam).locator('.sb-mention', { hasText: '@Sam Agent' }).waitFor();
    await sam.getByRole('button', { name: /^Notifications, \d+ unread/ }).click();
    await sam
      .getByRole('dialog', { name: 'Notifications' })
      .getByText('Alex Agent mentioned you in a direct message')
      .waitFor();
    await sam.keyboard.press('Escape');

    // Sam edits and deletes their own message; Alex sees both in place.
    const mineId = await messages(sam)
      .locator('li', { hasText: 'Hi Alex, got a minute for the Leeds printer?' })
      .getAttribute('data-message-id');
    const mine = messages(sam).locator(`[data-message-id="${mineId}"]`);
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const editBox = mine.getByRole('textbox', { name: 'Edit message' });
    await editBox.fill('Hi Alex, got a minute for the Leeds receipt printer?');
    await editBox.press('Enter');
    const theirs = messages(alex).locator(`[data-message-id="${mineId}"]`);
    await theirs.getByText('(edited)').waitFor();
    expect(await theirs.innerText()).toContain('Leeds receipt printer');
    await mine.hover();
    await mine.getByRole('button', { name: 'Delete' }).click();
    await mine
      .getByRole('alertdialog', { name: 'Delete this message?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await messages(alex).getByText('This message was deleted.').waitFor();
    expect(await messages(alex).getByText('Leeds receipt printer').count()).toBe(0);
    // Nobody can edit someone else's message.
    const fromAlex = messages(sam).locator('li', { hasText: 'Sure, one sec' });
    await fromAlex.hover();
    expect(await fromAlex.getByRole('button', { name: 'Edit' }).count()).toBe(0);

    await alex.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-chat-dock.png` });
    await sam.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-chat-page.png` });

    // Sam closes the tab: Alex sees Sam go offline.
    await alex.getByRole('button', { name: 'Back to channels' }).click();
    await panel.getByRole('img', { name: 'Sam Agent is online' }).waitFor();
    await sam.close({ runBeforeUnload: true });
    // A tab whose leave message is lost goes offline by the 45 s heartbeat sweep: the test leaves
    // room for that on a busy machine.
    await panel.getByRole('img', { name: 'Sam Agent is offline' }).waitFor({ timeout: 60_000 });
  }, 120_000);

  test('a ticket link in #general is a live card, and a message becomes an internal note', async () => {
    const agent = await stack.login('agent1@demo.test');
    const { createTicket } = await agent.data<{ createTicket: { id: string; number: number } }>(
      'mutation { createTicket(input: { title: "Self-checkout rejects coupons", description: "Since the update.", requesterEmail: "customer@demo.test" }) { id number } }',
    );
    const [alex, sam] = await Promise.all([signedIn('agent1@demo.test'), signedIn('agent2@demo.test')]);
    for (const page of [alex, sam]) {
      await page.goto('/chat');
      await page.getByRole('button', { name: /^#general/ }).click();
      await messages(page).getByText('On it, I am reading the payment gateway logs.').waitFor();
    }

    await composer(alex).fill(`Can someone take #${createTicket.number}? Coupons fail at every till.`);
    await composer(alex).press('Enter');
    const card = messages(sam).getByRole('link', {
      name: `Ticket #${createTicket.number}: Self-checkout rejects coupons`,
    });
    await card.waitFor();
    expect(await card.innerText()).toContain('Unassigned');

    // The ticket changes elsewhere: the card follows.
    await stack.login('agent2@demo.test').then((client) =>
      client.data('mutation($t: ID!) { updateTicket(input: { ticketId: $t, status: PENDING_CUSTOMER }) { id } }', {
        t: createTicket.id,
      }),
    );
    await card.locator('.sb-status', { hasText: 'Pending customer' }).waitFor();

    // Sam adds Alex's message to the ticket as an internal note.
    const message = messages(sam).locator('li', { hasText: 'Coupons fail at every till.' });
    await message.hover();
    await message.getByRole('button', { name: 'Add to ticket' }).click();
    const form = message.getByRole('form', { name: 'Add to ticket' });
    expect(await form.getByRole('textbox', { name: 'Ticket number' }).inputValue()).toBe(String(createTicket.number));
    await form.getByRole('button', { name: 'Add as note' }).click();
    await sam.getByText(`Added to ticket #${createTicket.number} as an internal note`).waitFor();
    await messages(alex).getByText(`Added as a note to`).waitFor();

    await sam.goto(`/tickets/${createTicket.id}`);
    await sam
      .getByRole('region', { name: 'Timeline' })
      .locator('.tl-msg--note', { hasText: 'From team chat (#general), Alex Agent wrote:' })
      .waitFor();
  });

  test('a private channel: created, a member added and removed, who then loses it live', async () => {
    const [alex, sam] = await Promise.all([signedIn('agent1@demo.test'), signedIn('agent2@demo.test')]);
    await Promise.all([alex.goto('/chat'), sam.goto('/chat')]);
    await alex.getByRole('button', { name: 'New channel' }).click();
    const form = alex.getByRole('form', { name: 'New channel' });
    await form.getByLabel('Channel name').fill('vip-escalations');
    await form.getByLabel('Private (members only)').check();
    await form.getByRole('button', { name: 'Create channel' }).click();
    await alex.getByRole('heading', { level: 2, name: 'vip-escalations' }).waitFor();
    expect(await sam.getByRole('button', { name: /^#vip-escalations/ }).count()).toBe(0);

    await alex.getByRole('button', { name: 'Members (1)' }).click();
    const members = alex.getByRole('dialog', { name: 'Members' });
    await members.getByLabel('Add someone').selectOption({ label: 'Sam Agent' });
    await members.getByRole('button', { name: 'Add', exact: true }).click();
    await members.getByText('Sam Agent').waitFor();
    await composer(alex).fill('Only for the two of us');
    await composer(alex).press('Enter');

    // Sam's list gains the channel live, with its unread message.
    await sam.getByRole('button', { name: '#vip-escalations, 1 unread' }).click();
    await messages(sam).getByText('Only for the two of us').waitFor();

    await members.getByRole('button', { name: 'Remove Sam Agent' }).click();
    await sam.getByText('You are no longer a member of this channel.').waitFor();
    await sam.getByRole('button', { name: /^#vip-escalations/ }).waitFor({ state: 'detached' });
  });

  test('the chat fits a phone', async () => {
    const alex = await signedIn('agent1@demo.test', { viewport: { width: 390, height: 844 } });
    await alex.goto('/chat');
    await alex.getByRole('button', { name: /^#general/ }).click();
    await messages(alex).getByText('On it, I am reading the payment gateway logs.').waitFor();
    expect(await horizontalOverflow(alex)).toBeLessThanOrEqual(0);
    await alex.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-chat-phone.png` });
    await alex.getByRole('button', { name: 'Back to channels' }).click();
    await alex.getByRole('button', { name: /^#general/ }).waitFor();
  });
});
