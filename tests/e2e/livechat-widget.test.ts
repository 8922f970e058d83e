// A visitor on a business's own website (another origin, a page with the one <script> tag) chats
// with an agent signed into the agent app: each sees the other's messages and typing live, the
// chat survives a reload of the visitor's page, and the agent turns it into a ticket.
import http from 'node:http';
import type net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { launchBrowser, openPage, signIn, type OpenPage } from '../support/browser.js';

let stack: TestStack;
let browser: Browser;
let site: http.Server;
let siteOrigin: string;
const opened: OpenPage[] = [];
const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? '/tmp';

/** The business's website: a static page on its own port and host name, embedding the widget. */
async function startSite(widgetKey: string): Promise<void> {
  site = http.createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<html lang="en"><head><title>Kettle Shop</title>
<style>body { font-family: serif; } button { background: hotpink !important; }</style></head>
<body><h1>Kettle Shop</h1><p>The finest kettles.</p>
<script src="${stack.url}/widget.js" data-widget-key="${widgetKey}" async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteOrigin = `http://localhost:${(site.address() as net.AddressInfo).port}`;
}

async function open(baseURL: string): Promise<OpenPage> {
  const tab = await openPage(browser, baseURL);
  opened.push(tab);
  return tab;
}

beforeAll(async () => {
  ensureClientBuilt();
  [stack, browser] = await Promise.all([startTestStack(), launchBrowser()]);
  const admin = await stack.login('admin@demo.test');
  const { liveChatSettings } = await admin.data<{ liveChatSettings: { publicKey: string } }>(
    `{ liveChatSettings { publicKey } }`,
  );
  await startSite(liveChatSettings.publicKey);
  await admin.data(
    `mutation($origins: [String!]) { updateLiveChatSettings(input: { enabled: true, allowedOrigins: $origins }) { id } }`,
    {
      origins: [siteOrigin],
    },
  );
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
  await new Promise((resolve) => site?.close(resolve));
});

const widget = (page: Page) => page.getByRole('dialog', { name: 'Chat with Demo Support' });

describe('the chat widget on another site', () => {
  test('a visitor and an agent chat live, and the chat becomes a ticket', async () => {
    const agentTab = await open(stack.url);
    const alex = agentTab.page;
    await signIn(alex, 'agent1@demo.test');
    await alex.goto('/livechat');
    await alex.getByRole('heading', { name: 'Live chat' }).waitFor();

    const visitorTab = await open(siteOrigin);
    const vera = visitorTab.page;
    await vera.goto('/');
    await vera.getByRole('button', { name: 'Open chat' }).click();

    await widget(vera).getByText('Hi! How can we help you today?').waitFor();
    // The tenant asks who the visitor is before the chat reaches agents.
    await widget(vera).getByLabel('Your name').fill('Vera Visitor');
    await widget(vera).getByLabel('Your email (optional)').fill('vera@example.test');
    await widget(vera).getByRole('button', { name: 'Start chat' }).click();
    const message = widget(vera).getByRole('textbox', { name: 'Message' });
    await message.fill('Does the copper kettle work on induction?');
    await message.press('Enter');
    await widget(vera).getByText('Does the copper kettle work on induction?').waitFor();
    // The site's own styles do not reach into the widget (shadow DOM).
    const sendColour = await widget(vera)
      .getByRole('button', { name: 'Send' })
      .evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
            .backgroundColor,
      );
    expect(sendColour).not.toBe('rgb(255, 105, 180)');

    // The agent sees it arrive live, with a badge in the navigation.
    await alex.getByRole('link', { name: 'Live chat, 1 waiting' }).waitFor();
    await alex.getByRole('link', { name: /Vera Visitor/ }).click();
    const conversation = alex.getByRole('region', { name: 'Conversation' });
    await conversation.getByText('Does the copper kettle work on induction?').waitFor();
    await conversation.getByText(/vera@example\.test/).waitFor();

    // Typing shows on the other side, both ways.
    const reply = conversation.getByRole('textbox', { name: 'Reply to the visitor' });
    await reply.fill('Let me check');
    await widget(vera).getByText('Alex is typing…').waitFor();
    await message.fill('It is for a gift');
    await conversation.getByText('Vera Visitor is typing…').waitFor();

    await reply.fill('Yes, it has a steel base, so it works on induction.');
    await reply.press('Enter');
    await widget(vera).getByText('Yes, it has a steel base, so it works on induction.').waitFor();
    await widget(vera).getByText('Alex is typing…').waitFor({ state: 'detached' });
    await alex.getByRole('link', { name: 'Live chat', exact: true }).waitFor(); // answered: nobody waiting
    await vera.screenshot({ path: `${SCREENSHOT_DIR}/livechat-visitor.png` });
    await alex.screenshot({ path: `${SCREENSHOT_DIR}/livechat-agent.png` });

    // A reload of the visitor's page keeps the conversation.
    await message.press('Enter');
    await conversation.getByText('It is for a gift').waitFor();
    await vera.reload();
    await vera.getByRole('button', { name: 'Open chat' }).click();
    await widget(vera).getByText('Yes, it has a steel base, so it works on induction.').waitFor();
    await widget(vera).getByText('It is for a gift').waitFor();

    // The agent turns the chat into a ticket: the transcript is its first content.
    await conversation.getByRole('button', { name: 'Turn into ticket' }).click();
    await alex.waitForURL(/\/tickets\//);
    await alex
      .getByRole('heading', { level: 1, name: 'Live chat: Does the copper kettle work on induction?' })
      .waitFor();
    await alex
      .getByText(/Vera Visitor: It is for a gift/)
      .first()
      .waitFor();
    await widget(vera)
      .getByText(/This chat is now support request #\d+/)
      .waitFor();
    expect(await widget(vera).getByRole('textbox', { name: 'Message' }).count()).toBe(0);
  });

  test('an admin sets the widget up in Settings, and visitors see the change', async () => {
    const { page: admin } = await open(stack.url);
    await signIn(admin, 'admin@demo.test');
    await admin.goto('/settings/livechat');
    await admin.getByRole('heading', { level: 1, name: 'Chat widget' }).waitFor();
    const snippet = await admin.getByLabel('Embed code').innerText();
    expect(snippet).toMatch(
      /<script src="http:\/\/127\.0\.0\.1:\d+\/widget\.js" data-widget-key="wk_[\w-]+" async><\/script>/,
    );
    expect(await admin.getByLabel('Allowed sites').inputValue()).toBe(siteOrigin);
    await admin.getByLabel('Greeting').fill('Hello from the kettle people!');
    await admin.getByLabel('Ask for name and email before the chat starts').uncheck();
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText('Chat widget settings saved').waitFor();
    // A site that is not on the list is refused: the sites field says so when it is emptied.
    await admin.getByLabel('Allowed sites').fill('');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await admin.getByText(/Add at least one allowed origin/).waitFor();

    const { page: visitor } = await open(siteOrigin);
    await visitor.goto('/');
    await visitor.getByRole('button', { name: 'Open chat' }).click();
    await widget(visitor).getByText('Hello from the kettle people!').waitFor();
    // No name/email form any more: the visitor writes at once.
    await widget(visitor).getByRole('textbox', { name: 'Message' }).fill('Just browsing');
    await widget(visitor).getByRole('button', { name: 'Send' }).click();
    await widget(visitor).getByText('Just browsing').waitFor();
  });
});
