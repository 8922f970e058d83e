// Browser helpers for the system tests: Debian's Chromium driven by playwright-core.
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where the client keeps the session token (see client/src/app/session.ts). */
export const TOKEN_STORAGE_KEY = 'switchboard.token';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y --no-install-recommends chromium\` ` +
        '(or set CHROMIUM_PATH)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions in the page so far. */
  pageErrors: string[];
  /** Console errors so far (these include the browser's own "Failed to load resource" lines). */
  consoleErrors: string[];
  close(): Promise<void>;
}

/** A fresh browser context (its own localStorage) with one page on the app at `baseURL`. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { viewport?: { width: number; height: number }; colorScheme?: 'light' | 'dark' } = {},
): Promise<OpenPage> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-GB',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return { context, page, pageErrors, consoleErrors, close: () => context.close() };
}

/** Fills in and submits the real sign-in form (the page must show it). */
export async function submitSignIn(page: Page, email: string, password = 'switchboard'): Promise<void> {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Opens the app, signs in through the form and waits until the app has left the sign-in page. */
export async function signIn(page: Page, email: string, password = 'switchboard'): Promise<void> {
  if (!new URL(page.url(), 'http://x').pathname.startsWith('/sign-in')) await page.goto('/sign-in');
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

/** A fresh page (see `openPage`) already signed in as `email`. */
export async function openSignedIn(
  browser: Browser,
  baseURL: string,
  email: string,
  options?: Parameters<typeof openPage>[2],
): Promise<OpenPage> {
  const tab = await openPage(browser, baseURL, options);
  await signIn(tab.page, email);
  return tab;
}

/** The page globals these helpers use (the tests compile without the DOM library). */
export interface PageGlobals {
  localStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void };
  innerWidth: number;
  document: { documentElement: { scrollWidth: number } };
}

export async function storedToken(page: Page): Promise<string | null> {
  return page.evaluate((key) => (globalThis as unknown as PageGlobals).localStorage.getItem(key), TOKEN_STORAGE_KEY);
}

export async function setStoredToken(page: Page, token: string): Promise<void> {
  await page.evaluate(([key, value]) => (globalThis as unknown as PageGlobals).localStorage.setItem(key, value), [
    TOKEN_STORAGE_KEY,
    token,
  ] as const);
}

/** How far the page is wider than the window (0 or less when nothing scrolls sideways). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return g.document.documentElement.scrollWidth - g.innerWidth;
  });
}

export function pathname(page: Page): string {
  return new URL(page.url()).pathname;
}
