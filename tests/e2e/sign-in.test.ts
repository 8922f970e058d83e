// The web client's sign-in, shell and session handling, in Chromium against a real server.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import {
  horizontalOverflow,
  launchBrowser,
  openPage,
  pathname,
  setStoredToken,
  signIn,
  storedToken,
  submitSignIn,
  type OpenPage,
} from '../support/browser.js';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

let stack: TestStack;
let browser: Browser;
const opened: OpenPage[] = [];

async function open(options?: Parameters<typeof openPage>[2]): Promise<OpenPage> {
  const tab = await openPage(browser, stack.url, options);
  opened.push(tab);
  return tab;
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

describe('sign-in', () => {
  test('an agent signs in with the form and sees their name, role and tenant in the shell', async () => {
    const { page } = await open();
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-sign-in.png` });

    await submitSignIn(page, 'agent1@demo.test');
    await page.waitForURL('**/inbox');

    const banner = page.getByRole('banner');
    await banner.getByText('Alex Agent').waitFor();
    const bannerText = await banner.innerText();
    expect(bannerText).toContain('Switchboard');
    expect(bannerText).toContain('Demo Support');
    expect(bannerText).toContain('Agent');
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.getByRole('main').getByRole('list', { name: 'Tickets' }).waitFor();
    const inbox = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' });
    expect(await inbox.getAttribute('aria-current')).toBe('page');
    expect(await page.title()).toContain('Inbox');
    expect(await storedToken(page)).toMatch(/\S+/);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-shell.png` });

    // The session survives a reload.
    await page.reload();
    await page.getByRole('banner').getByText('Alex Agent').waitFor();
    expect(pathname(page)).toBe('/inbox');
  });

  test('a wrong password shows the error and keeps the user on the sign-in page', async () => {
    const { page } = await open();
    await page.goto('/sign-in');
    await submitSignIn(page, 'agent1@demo.test', 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.getByText('Wrong email or password').waitFor();
    expect(pathname(page)).toBe('/sign-in');
    expect(await storedToken(page)).toBeNull();

    // The right password then works from the same form.
    await page.getByLabel('Password', { exact: true }).fill('switchboard');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/inbox');
  });

  test('empty fields are flagged without calling the server', async () => {
    const { page } = await open();
    await page.goto('/sign-in');
    let calls = 0;
    await page.route('**/graphql', (route) => {
      calls++;
      return route.continue();
    });
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Enter your email address').waitFor();
    await page.getByText('Enter your password').waitFor();
    expect(await page.getByLabel('Email', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(calls).toBe(0);
  });

  test('rate limiting and network failures get their own messages', async () => {
    const { page } = await open();
    await page.goto('/sign-in');

    await page.route('**/graphql', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          data: null,
          errors: [
            {
              message: 'Too many failed sign-ins; try again in 840 s',
              extensions: { code: 'TOO_MANY_REQUESTS' },
            },
          ],
        }),
      }),
    );
    await submitSignIn(page, 'agent1@demo.test', 'guess');
    const alert = page.getByRole('alert');
    await alert.getByText('Too many sign-in attempts').waitFor();
    expect(await alert.innerText()).toMatch(/try again in 14 minutes/i);

    await page.unroute('**/graphql');
    await page.route('**/graphql', (route) => route.abort('internetdisconnected'));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').getByText('Can’t connect').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/check your internet connection/i);
    expect(await storedToken(page)).toBeNull();
  });

  test('a signed-out visitor to a deep link is brought back to it after signing in', async () => {
    const { page } = await open();
    await page.goto('/inbox');
    await page.waitForURL('**/sign-in');
    await signIn(page, 'manager@demo.test');
    expect(pathname(page)).toBe('/inbox');
    expect(await page.getByRole('banner').innerText()).toContain('Manager');
  });
});

describe('roles', () => {
  test('a customer lands in the customer portal, not the agent app', async () => {
    const { page } = await open();
    await page.goto('/');
    await signIn(page, 'customer@demo.test');
    await page.waitForURL('**/portal');
    const banner = page.getByRole('banner');
    await banner.getByText('Casey Customer').waitFor();
    expect(await banner.innerText()).toContain('Demo Support');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: /Casey/ }).waitFor();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-portal.png` });

    // The agent app is not theirs.
    await page.goto('/inbox');
    await page.waitForURL('**/portal');
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  });

  test('staff are kept out of the customer portal', async () => {
    const { page } = await open();
    await signIn(page, 'admin@demo.test');
    await page.goto('/portal');
    await page.waitForURL('**/inbox');
    expect(await page.getByRole('banner').innerText()).toContain('Admin');
  });
});

describe('sign-out and session end', () => {
  test('signing out from the user menu returns to sign-in and revokes the token', async () => {
    const { page } = await open();
    await signIn(page, 'agent2@demo.test');
    await page.waitForURL('**/inbox');
    const token = await storedToken(page);
    expect(token).toBeTruthy();

    await page.getByRole('button', { name: /account menu/ }).click();
    const menu = page.getByRole('menu');
    expect(await menu.innerText()).toContain('agent2@demo.test');
    await menu.getByRole('menuitem', { name: 'Sign out' }).click();

    await page.waitForURL('**/sign-in');
    await page.getByText('You’re signed out').waitFor();
    expect(await page.getByText('Your session ended').count()).toBe(0);
    expect(await storedToken(page)).toBeNull();

    const me = await stack.client(token!).request('{ me { id } }');
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    // The app stays closed until the next sign-in.
    await page.goto('/inbox');
    await page.waitForURL('**/sign-in');
    expect(await page.getByRole('banner').count()).toBe(0);
  });

  test('the user menu works from the keyboard', async () => {
    const { page } = await open();
    await signIn(page, 'agent1@demo.test');
    const trigger = page.getByRole('button', { name: /account menu/ });
    await trigger.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu').waitFor();
    expect(await trigger.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator(':focus').textContent()).toContain('Notification preferences');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator(':focus').textContent()).toContain('My email identity');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator(':focus').textContent()).toContain('Sign out');
    await page.keyboard.press('Escape');
    await page.getByRole('menu').waitFor({ state: 'detached' });
    expect(await page.locator(':focus').getAttribute('aria-haspopup')).toBe('menu');
  });

  test('when the session is revoked elsewhere, the open page returns to sign-in with a notice', async () => {
    const { page } = await open();
    await signIn(page, 'agent1@demo.test');
    await page.getByRole('banner').getByText('Alex Agent').waitFor();
    const token = await storedToken(page);
    expect(token).toBeTruthy();

    // Elsewhere: the same token signs out over plain HTTP.
    const logout = await stack.client(token!).data<{ logout: boolean }>('mutation { logout }');
    expect(logout.logout).toBe(true);

    await page.waitForURL('**/sign-in');
    await page.getByRole('alert').getByText('Your session ended').waitFor();
    expect(await storedToken(page)).toBeNull();
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-session-ended.png` });

    // Signing in again starts a clean session.
    await submitSignIn(page, 'agent2@demo.test');
    await page.waitForURL('**/inbox');
    await page.getByRole('banner').getByText('Sam Agent').waitFor();
    expect(await page.getByRole('banner').innerText()).not.toContain('Alex Agent');
  });

  test('a stale token from an earlier visit leads to sign-in with the notice', async () => {
    const { page } = await open();
    await page.goto('/sign-in');
    await setStoredToken(page, 'sb_not-a-real-token');
    await page.goto('/inbox');
    await page.waitForURL('**/sign-in');
    await page.getByText('Your session ended').waitFor();
    expect(await storedToken(page)).toBeNull();
  });
});

describe('layout', () => {
  test('the shell fits a phone screen', async () => {
    const { page } = await open({ viewport: { width: 390, height: 844 } });
    await signIn(page, 'agent1@demo.test');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/switchboard-shell-phone.png` });
  });
});
