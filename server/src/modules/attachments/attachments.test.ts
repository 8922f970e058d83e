import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../../../../tests/support/stack.js';
import type { GraphQLTestClient } from '../../../../tests/support/graphql-client.js';

let stack: TestStack;
let agent: GraphQLTestClient;
let customer: GraphQLTestClient;
let ticketId: string;

// The smallest valid PNG: 1×1 transparent pixel.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

beforeAll(async () => {
  stack = await startTestStack({ env: { ATTACHMENT_MAX_BYTES: 64 * 1024 } });
  [agent, customer] = await Promise.all([stack.login('agent1@demo.test'), stack.login('customer@demo.test')]);
  const { createTicket } = await customer.data<{ createTicket: { id: string } }>(
    'mutation { createTicket(input: { title: "With files", description: "see attached" }) { id } }',
  );
  ticketId = createTicket.id;
});
afterAll(async () => {
  await stack?.close();
});

async function upload(client: GraphQLTestClient, name: string, type: string, bytes: Buffer, forTicket = ticketId) {
  const form = new FormData();
  form.set('ticketId', forTicket);
  form.set('file', new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${stack.url}/attachments`, {
    method: 'POST',
    headers: client.token ? { authorization: `Bearer ${client.token}` } : {},
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id?: string; url?: string } };
}

describe('attachments', () => {
  it('uploads a file, attaches it to a reply, and serves it through a signed link only', async () => {
    const { status, body } = await upload(agent, 'pixel.png', 'application/octet-stream', PNG);
    expect(status).toBe(201);
    expect(body.contentType).toBe('image/png'); // sniffed from the bytes, not the claim
    const { addComment } = await agent.data<{
      addComment: { attachments: Array<{ filename: string; url: string; isImage: boolean; size: number }> };
    }>(
      'mutation($t: ID!, $a: [ID!]) { addComment(input: { ticketId: $t, body: "Here is the screenshot", internal: false, attachmentIds: $a }) { attachments { filename url isImage size } } }',
      { t: ticketId, a: [body.id] },
    );
    const [file] = addComment.attachments;
    expect(file).toMatchObject({ filename: 'pixel.png', isImage: true, size: PNG.length });
    const download = await fetch(`${stack.url}${file!.url}`);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');

    // Change the signature's first character to a different one (a fixed 'A' left it unchanged 1 time in 64).
    const tamperedUrl = file!.url.replace(
      /signature=(.)/,
      (_, first: string) => `signature=${first === 'A' ? 'B' : 'A'}`,
    );
    const tampered = await fetch(`${stack.url}${tamperedUrl}`);
    expect(tampered.status).toBe(403);
    const unsigned = await fetch(`${stack.url}/attachments/${body.id}`);
    expect(unsigned.status).toBe(403);
  });

  it('serves active content (HTML) as a download, never inline', async () => {
    const html = Buffer.from('<html><script>alert(1)</script></html>');
    const { body } = await upload(agent, 'evil.html', 'text/html', html);
    const { addComment } = await agent.data<{ addComment: { attachments: Array<{ url: string }> } }>(
      'mutation($t: ID!, $a: [ID!]) { addComment(input: { ticketId: $t, body: "", internal: true, attachmentIds: $a }) { attachments { url } } }',
      { t: ticketId, a: [body.id] },
    );
    const res = await fetch(`${stack.url}${addComment.attachments[0]!.url}`);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
  });

  it('refuses files over the limit, anonymous uploads and tickets the uploader cannot see', async () => {
    expect((await upload(agent, 'big.bin', 'application/octet-stream', Buffer.alloc(70 * 1024, 1))).status).toBe(400);
    expect((await upload(stack.client(), 'a.txt', 'text/plain', Buffer.from('hi'))).status).toBe(401);
    const { createTicket } = await agent.data<{ createTicket: { id: string } }>(
      'mutation { createTicket(input: { title: "Staff only", description: "x" }) { id } }',
    );
    expect((await upload(customer, 'a.txt', 'text/plain', Buffer.from('hi'), createTicket.id)).status).toBe(404);
  });

  it('does not let one user attach another user’s upload', async () => {
    const { body } = await upload(customer, 'mine.txt', 'text/plain', Buffer.from('customer file'));
    const res = await agent.request(
      'mutation($t: ID!, $a: [ID!]) { addComment(input: { ticketId: $t, body: "stealing", internal: false, attachmentIds: $a }) { id } }',
      { t: ticketId, a: [body.id] },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
