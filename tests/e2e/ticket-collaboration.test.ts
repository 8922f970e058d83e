// Two agents and the customer on one ticket, each in their own browser, against a real server:
// replies, status changes, typing and internal notes reach every screen that may see them, live.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { horizontalOverflow, launchBrowser, openPage, pathname, signIn, type OpenPage } from '../support/browser.js';
import { createSupportAddress } from '../support/support-address.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
const opened: OpenPage[] = [];

async function open(options?: Parameters<typeof openPage>[2]): Promise<OpenPage> {
  const tab = await openPage(browser, stack.url, options);
  opened.push(tab);
  return tab;
}

async function signedIn(email: string, options?: Parameters<typeof openPage>[2]): Promise<Page> {
  const { page } = await open(options);
  await signIn(page, email);
  return page;
}

/** A fresh ticket for customer@demo.test, made by agent 1 through the API. */
async function newTicket(title: string): Promise<{ id: string; number: number }> {
  const agent = await stack.login('agent1@demo.test');
  const data = await agent.data<{ createTicket: { id: string; number: number } }>(
    `mutation($input: CreateTicketInput!) { createTicket(input: $input) { id number } }`,
    {
      input: {
        title,
        description: 'Our card terminal prints every receipt twice since the update this morning.',
        requesterEmail: 'customer@demo.test',
        urgency: 'HIGH',
        importance: 'MEDIUM',
      },
    },
  );
  return data.createTicket;
}

/** The timeline of an open ticket page. */
const timeline = (page: Page) => page.getByRole('region', { name: 'Timeline' });

/** Waits until the ticket page has loaded its conversation (and so its live stream). */
async function openTicket(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await timeline(page).locator('.tl-list').waitFor();
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

describe('ticket collaboration', () => {
  test('replies, status changes, typing and notes reach the other agent and the customer live', async () => {
    const ticket = await newTicket('Card terminal prints receipts twice');
    const [alex, sam, casey] = await Promise.all([
      signedIn('agent1@demo.test'),
      signedIn('agent2@demo.test'),
      signedIn('customer@demo.test'),
    ]);
    await Promise.all([
      openTicket(alex, `/tickets/${ticket.id}`),
      openTicket(sam, `/tickets/${ticket.id}`),
      openTicket(casey, `/portal/tickets/${ticket.id}`),
    ]);
    await alex.getByRole('heading', { level: 1, name: 'Card terminal prints receipts twice' }).waitFor();
    expect(await alex.locator('.tk-number').innerText()).toBe(`#${ticket.number}`);

    // Each agent sees the other one on the ticket.
    await alex.getByRole('group', { name: /Also viewing: Sam Agent/ }).waitFor();
    await sam.getByRole('group', { name: /Also viewing: Alex Agent/ }).waitFor();

    // Agent 1 replies publicly: agent 2 and the customer see it without reloading.
    const reply = 'Thanks Casey, we are rolling back the terminal update now.';
    await alex.getByRole('textbox', { name: 'Reply' }).fill(reply);
    await alex.getByRole('button', { name: 'Send reply' }).click();
    await timeline(alex).locator('.tl-msg--reply', { hasText: reply }).waitFor();
    await timeline(sam).locator('.tl-msg--reply', { hasText: reply }).waitFor();
    await timeline(casey).getByText(reply).waitFor();
    expect(await alex.getByRole('textbox', { name: 'Reply' }).inputValue()).toBe('');

    // Agent 2 changes the status: agent 1 sees the system pill and the new status.
    await sam.getByLabel('Status', { exact: true }).selectOption('PENDING_CUSTOMER');
    await timeline(alex).locator('[data-kind="STATUS_CHANGED"]', { hasText: 'Pending customer' }).waitFor();
    expect(await timeline(alex).locator('[data-kind="STATUS_CHANGED"]').last().innerText()).toMatch(
      /Sam Agent changed the status from Open to Pending customer/,
    );
    await alex.locator('.tk-header .sb-status', { hasText: 'Pending customer' }).waitFor();
    expect(await alex.getByLabel('Status', { exact: true }).inputValue()).toBe('PENDING_CUSTOMER');
    // The customer reads it in their own words.
    await casey.locator('.pt-ticket__header .sb-status', { hasText: 'Awaiting your reply' }).waitFor();

    // Agent 2 takes the ticket: an assignment pill on both screens.
    await sam.getByRole('button', { name: 'Assign to me' }).click();
    await timeline(alex).locator('[data-kind="ASSIGNED"]', { hasText: 'Sam Agent took the ticket' }).waitFor();

    // Agent 1 types without sending: agent 2 sees who is typing, and it stops when the box empties.
    const composer = alex.getByRole('textbox', { name: 'Reply' });
    await composer.fill('We will also refund the duplicate');
    await sam.getByText('Alex is typing…').waitFor();
    await composer.fill('');
    await sam.getByText('Alex is typing…').waitFor({ state: 'detached' });

    // Agent 1 writes an internal note mentioning agent 2.
    const unread = async () =>
      Number(
        /(\d+) unread/.exec(
          (await sam.getByRole('button', { name: /^Notifications/ }).getAttribute('aria-label')) ?? '',
        )?.[1] ?? 0,
      );
    const unreadBefore = await unread();
    const note = 'Rollback needs the vendor key from the vault, checking with finance.';
    await alex.getByRole('radio', { name: 'Internal note' }).click();
    const noteBox = alex.getByRole('textbox', { name: 'Internal note' });
    await noteBox.fill(`${note} cc @Sa`);
    await alex
      .getByRole('listbox', { name: 'People to mention' })
      .getByRole('option', { name: /Sam Agent/ })
      .click();
    expect(await noteBox.inputValue()).toBe(`${note} cc @Sam Agent `);
    await alex.getByRole('button', { name: 'Add note' }).click();
    const samNote = timeline(sam).locator('.tl-msg--note', { hasText: note });
    await samNote.waitFor();
    expect(await samNote.innerText()).toContain('Internal');
    await samNote.locator('.sb-mention', { hasText: '@Sam Agent' }).waitFor();
    // Agent 2 was mentioned: the bell rings.
    await sam.getByRole('button', { name: `Notifications, ${unreadBefore + 1} unread` }).click();
    const bell = sam.getByRole('dialog', { name: 'Notifications' });
    await bell.getByText(`You were mentioned on #${ticket.number} Card terminal prints receipts twice`).waitFor();
    await bell.getByRole('button', { name: 'Mark all read' }).click();
    await sam.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
    await sam.keyboard.press('Escape');

    // The customer replies from the portal; both agents see it on the customer's side.
    const answer = 'Thank you! It happens on both terminals in the shop.';
    await casey.getByRole('textbox', { name: 'Reply' }).fill(answer);
    await casey.getByRole('button', { name: 'Send', exact: true }).click();
    await timeline(alex).locator('.tl-msg--customer.tl-msg--left', { hasText: answer }).waitFor();
    await timeline(sam).locator('.tl-msg--customer', { hasText: answer }).waitFor();
    // Replying moved the ticket out of "pending customer" again.
    await alex.locator('.tk-header .sb-status', { hasText: 'Open' }).waitFor();

    // Agent 1 answers publicly after the note: the customer gets that reply, never the note.
    const followUp = 'Good to know, the rollback covers both terminals.';
    await alex.getByRole('radio', { name: 'Reply' }).click();
    await alex.getByRole('textbox', { name: 'Reply' }).fill(followUp);
    await alex.getByRole('button', { name: 'Send reply' }).click();
    await timeline(casey).getByText(followUp).waitFor();
    const customerPage = await casey.content();
    expect(customerPage).not.toContain(note);
    expect(customerPage).not.toContain('Internal note');
    expect(await casey.locator('.tl-msg--note').count()).toBe(0);
    // The customer's own messages are on their right, the team's on the left.
    await timeline(casey).locator('.tl-msg--right', { hasText: answer }).waitFor();
    await timeline(casey).locator('.tl-msg--left', { hasText: followUp }).waitFor();

    await alex.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-ticket.png` });
    await casey.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-portal-ticket.png` });

    // Filters: internal notes only, then system events only.
    await timeline(alex)
      .getByRole('button', { name: /^Internal notes/ })
      .click();
    expect(await timeline(alex).locator('.tl-msg').count()).toBe(1);
    await timeline(alex)
      .getByRole('button', { name: /^System events/ })
      .click();
    expect(await timeline(alex).locator('.tl-msg').count()).toBe(0);
    expect(await timeline(alex).locator('.tl-system').count()).toBeGreaterThanOrEqual(3);
    await timeline(alex).getByRole('button', { name: /^All/ }).click();
  });

  test('editing and deleting a comment update its bubble in place on the other screen', async () => {
    const ticket = await newTicket('Receipt printer paper jams');
    const [alex, sam] = await Promise.all([signedIn('agent1@demo.test'), signedIn('agent2@demo.test')]);
    await Promise.all([openTicket(alex, `/tickets/${ticket.id}`), openTicket(sam, `/tickets/${ticket.id}`)]);

    await alex.getByRole('radio', { name: 'Internal note' }).click();
    await alex.getByRole('textbox', { name: 'Internal note' }).fill('Paper roll model is TM-88');
    await alex.getByRole('button', { name: 'Add note' }).click();
    await timeline(alex).locator('.tl-msg--note', { hasText: 'TM-88' }).waitFor();
    const id = await timeline(alex).locator('.tl-msg--note', { hasText: 'TM-88' }).getAttribute('data-event-id');
    const mine = timeline(alex).locator(`[data-event-id="${id}"]`);
    await timeline(sam).locator('.tl-msg--note', { hasText: 'TM-88' }).waitFor();

    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByRole('textbox', { name: 'Edit message' }).fill('Paper roll model is TM-T88V');
    await mine.getByRole('button', { name: 'Save' }).click();
    const theirs = timeline(sam).locator('.tl-msg--note', { hasText: 'TM-T88V' });
    await theirs.waitFor();
    await theirs.getByRole('button', { name: 'edited' }).click();
    const history = sam.getByRole('dialog', { name: 'Edit history' });
    expect(await history.innerText()).toContain('Paper roll model is TM-88');
    // Edits are not new entries.
    expect(await timeline(sam).locator('.tl-msg--note').count()).toBe(1);

    await mine.getByText('TM-T88V').waitFor();
    await mine.hover();
    await mine.getByRole('button', { name: 'Delete' }).click();
    await mine
      .getByRole('alertdialog', { name: 'Delete this comment?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await timeline(sam).getByText('This note was deleted by Alex Agent').waitFor();
    expect(await timeline(sam).getByText('TM-T88V').count()).toBe(0);
    expect(await timeline(sam).getByRole('button', { name: 'Restore' }).count()).toBe(0);

    // An admin sees the deleted note with a way to bring it back; both agents see it return.
    const ada = await signedIn('admin@demo.test');
    await openTicket(ada, `/tickets/${ticket.id}`);
    await timeline(ada).getByText('This note was deleted by Alex Agent').waitFor();
    await timeline(ada).getByRole('button', { name: 'Restore' }).click();
    await timeline(sam).locator('.tl-msg--note', { hasText: 'TM-T88V' }).waitFor();
    await timeline(alex).locator('.tl-msg--note', { hasText: 'TM-T88V' }).waitFor();
    expect(await timeline(sam).getByText('This note was deleted').count()).toBe(0);
  });

  test("a ticket created by one agent appears live in the other agent's inbox", async () => {
    // A support address with its colour: rows of its tickets carry it as their left border.
    const admin = await stack.login('admin@demo.test');
    await createSupportAddress(admin, {
      displayName: 'Shop hardware',
      address: 'hardware@demo.test',
      color: '#e8590c',
      imapUser: 'hardware',
      isActive: true,
    });
    const [alex, sam] = await Promise.all([signedIn('agent1@demo.test'), signedIn('agent2@demo.test')]);
    await sam.goto('/inbox');
    await sam.getByRole('list', { name: 'Tickets' }).waitFor();
    await sam.locator('.ib-live--up').waitFor();
    // Count real rows only, once the loading placeholders are gone.
    const realRows = sam.locator('.ib-row:not(.ib-row--skeleton)');
    await sam.locator('.ib-row--skeleton').first().waitFor({ state: 'detached' });
    const before = await realRows.count();

    await alex.goto('/inbox');
    await alex.getByRole('list', { name: 'Tickets' }).waitFor();
    await alex.keyboard.press('c');
    await alex.waitForURL('**/tickets/new');
    await alex.getByRole('button', { name: 'Create ticket' }).click();
    await alex.getByText('Give the ticket a title').waitFor();
    await alex.getByLabel('Title').fill('Barcode scanner drops the first digit');
    await alex.getByLabel('Description').fill('Seen on the scanner at till 3 since Monday.');
    await alex.getByLabel('Requester email').fill('not-an-email');
    await alex.getByRole('button', { name: 'Create ticket' }).click();
    await alex.getByText('Enter an email address like name@company.com').waitFor();
    await alex.getByLabel('Requester email').fill('robin@acme.test');
    await alex.getByLabel('Requester name').fill('Robin Shop');
    await alex.getByRole('group', { name: 'Urgency' }).getByText('Critical').click();
    await alex.getByRole('group', { name: 'Importance' }).getByText('Critical').click();
    // A field error from the server (BAD_USER_INPUT with extensions.field) shows next to its field.
    await alex.getByRole('textbox', { name: 'Add a tag' }).fill('x'.repeat(60));
    await alex.keyboard.press('Enter');
    await alex.getByRole('button', { name: 'Create ticket' }).click();
    await alex.getByText(/Tag "x+…" is too long/).waitFor();
    expect(pathname(alex)).toBe('/tickets/new');
    await alex.getByRole('button', { name: /^Remove tag x+/ }).click();
    await alex.getByRole('textbox', { name: 'Add a tag' }).fill('hardware');
    await alex.keyboard.press('Enter');
    await alex.getByLabel('Support address').selectOption({ label: 'Shop hardware <hardware@demo.test>' });
    await alex.getByRole('button', { name: 'Create ticket' }).click();
    await alex.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await alex.getByRole('heading', { level: 1, name: 'Barcode scanner drops the first digit' }).waitFor();

    const row = sam.locator('.ib-row', { hasText: 'Barcode scanner drops the first digit' });
    await row.waitFor();
    expect(await realRows.count()).toBe(before + 1);
    expect(await row.innerText()).toContain('Robin Shop');
    await row.locator('.sb-priority--both').waitFor();
    expect(await row.getAttribute('style')).toContain('#e8590c');
    expect(pathname(sam)).toBe('/inbox');
    await sam.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-inbox.png` });

    // Changes update the row in place.
    await alex.getByRole('button', { name: 'Assign to me' }).click();
    await row.locator('.sb-status', { hasText: 'Open' }).waitFor();
    await row.getByRole('img', { name: 'Alex Agent' }).waitFor();
    expect(await realRows.count()).toBe(before + 1);

    // The keyboard: j selects the first row, Enter opens it.
    await sam.locator('body').click({ position: { x: 5, y: 300 } });
    await sam.keyboard.press('j');
    await sam.keyboard.press('Enter');
    await sam.waitForURL(/\/tickets\//);
  });

  test('after the socket drops, the timeline resumes from its last event: nothing lost, nothing twice', async () => {
    const ticket = await newTicket('Kiosk screen flickers');
    const { page: alex } = await open();
    // Every socket of this page goes through here, so the test can cut it and hold reconnects back.
    const live: WebSocketRoute[] = [];
    let refuse = false;
    await alex.routeWebSocket(/\/graphql$/, (socket) => {
      if (refuse) {
        void socket.close({ code: 4000, reason: 'test: network down' });
        return;
      }
      socket.connectToServer();
      live.push(socket);
    });
    await signIn(alex, 'agent1@demo.test');
    await openTicket(alex, `/tickets/${ticket.id}`);
    const before = 'Before the outage: please send a photo of the kiosk.';
    await alex.getByRole('textbox', { name: 'Reply' }).fill(before);
    await alex.getByRole('button', { name: 'Send reply' }).click();
    await timeline(alex).locator('.tl-msg', { hasText: before }).waitFor();

    // The connection drops; meanwhile agent 2 answers and changes the urgency.
    refuse = true;
    for (const socket of live.splice(0)) await socket.close({ code: 4000, reason: 'test: network down' });
    await alex.getByText('Connection lost. Reconnecting…').waitFor();
    const sam = await stack.login('agent2@demo.test');
    const during = 'Written while Alex was offline.';
    await sam.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { ticketId: ticket.id, body: during, internal: true },
    });
    await sam.data(`mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { id } }`, {
      input: { ticketId: ticket.id, urgency: 'CRITICAL' },
    });

    // Back online: the missed events arrive once each, in order, after the ones already shown.
    refuse = false;
    await timeline(alex).locator('.tl-msg', { hasText: during }).waitFor({ timeout: 30_000 });
    await alex.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached' });
    await timeline(alex).locator('[data-kind="PRIORITY_CHANGED"]', { hasText: 'urgency' }).waitFor();
    await alex.locator('.tk-header .sb-level-chip--critical').waitFor();
    expect(await timeline(alex).locator('.tl-msg', { hasText: during }).count()).toBe(1);
    expect(await timeline(alex).locator('.tl-msg', { hasText: before }).count()).toBe(1);
    const order = await timeline(alex)
      .locator('[data-event-id]')
      .evaluateAll((nodes) =>
        nodes.map((node) => Number((node as unknown as { dataset: { eventId: string } }).dataset.eventId)),
      );
    expect(order).toEqual([...order].sort((a, b) => a - b));

    // And it stays live on the new connection.
    const after = 'After the outage: the kiosk is fixed.';
    await sam.data(`mutation($input: AddCommentInput!) { addComment(input: $input) { id } }`, {
      input: { ticketId: ticket.id, body: after, internal: false },
    });
    await timeline(alex).locator('.tl-msg', { hasText: after }).waitFor();
    expect(await timeline(alex).locator('.tl-msg', { hasText: after }).count()).toBe(1);
  });

  test('the customer portal lists requests and takes a new one', async () => {
    const casey = await signedIn('customer@demo.test');
    await casey.getByRole('heading', { name: 'Your requests' }).waitFor();
    await casey.locator('.pt-row', { hasText: 'Checkout page shows a blank screen' }).waitFor();
    await casey.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-portal-list.png` });

    await casey.getByRole('link', { name: 'New request' }).first().click();
    await casey.getByLabel('Subject').fill('Gift cards cannot be redeemed');
    await casey.getByLabel('Description').fill('Customers get "invalid code" for every gift card.');
    await casey.getByRole('button', { name: 'Send request' }).click();
    await casey.waitForURL(/\/portal\/tickets\//);
    await casey.getByRole('heading', { level: 1, name: 'Gift cards cannot be redeemed' }).waitFor();
    await timeline(casey).getByText('Customers get "invalid code" for every gift card.').waitFor();
  });

  test('the ticket view fits a phone, with the properties in a drawer', async () => {
    const ticket = await newTicket('Tablet app logs out every hour');
    const alex = await signedIn('agent1@demo.test', { viewport: { width: 390, height: 844 } });
    await openTicket(alex, `/tickets/${ticket.id}`);
    await alex.getByRole('textbox', { name: 'Reply' }).fill('Looking into it now.');
    await alex.getByRole('button', { name: 'Send reply' }).click();
    await timeline(alex).locator('.tl-msg--reply', { hasText: 'Looking into it now.' }).waitFor();
    expect(await horizontalOverflow(alex)).toBeLessThanOrEqual(0);
    await alex.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-ticket-phone.png` });

    await alex.getByRole('button', { name: 'Show details' }).click();
    await alex.getByLabel('Status', { exact: true }).waitFor({ state: 'visible' });
    await alex.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-ticket-phone-details.png` });
    await alex.getByRole('button', { name: 'Close details' }).click();

    await alex.goto('/inbox');
    await alex.locator('.ib-row:not(.ib-row--skeleton)').first().waitFor();
    expect(await horizontalOverflow(alex)).toBeLessThanOrEqual(0);
    await alex.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-inbox-phone.png` });
  });
});
