// Webhook actions: a JSON POST signed with HMAC-SHA256 over the exact body. One attempt is made
// here; webhook-delivery.service.ts decides on retries. The request goes through node:http(s) with
// the SSRF guard's lookup (webhook-guard.ts): only checked public addresses are connected to.
// Redirects are not followed, the whole exchange has a deadline and at most 64 KiB of the answer is
// read. Any failure becomes an outcome, never an exception.
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ActionDefinition } from './automation.definition.js';
import { checkUrlForm, guardedLookup, hostOf, WebhookTargetError } from './webhook-guard.js';

export type WebhookAction = Extract<ActionDefinition, { type: 'WEBHOOK' }>;

export const SIGNATURE_HEADER = 'X-Switchboard-Signature';
/** The same on every attempt of one delivery: receivers dedupe on it. */
export const DELIVERY_HEADER = 'X-Switchboard-Delivery';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** `sha256=<hex>` of the body: receivers recompute it with their copy of the secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookRequest {
  url: string;
  body: string;
  signature: string;
  deliveryId: string;
  timeoutMs: number;
}

export interface WebhookOutcome {
  ok: boolean;
  /** The HTTP status, when the receiver answered. */
  status: number | null;
  error: string | null;
  /** Worth another attempt later: network errors, timeouts, 5xx and 429. */
  retryable: boolean;
}

/** The verdict on an HTTP status: 2xx delivered; 5xx and 429 again later; anything else final. */
export function outcomeOf(status: number, location?: string): WebhookOutcome {
  if (status >= 200 && status < 300) return { ok: true, status, error: null, retryable: false };
  const redirect = status >= 300 && status < 400;
  const error = redirect
    ? `HTTP ${status} (redirect${location ? ` to ${location}` : ''} not followed)`
    : `HTTP ${status}`;
  return { ok: false, status, error, retryable: status >= 500 || status === 429 };
}

export async function postWebhook(request: WebhookRequest): Promise<WebhookOutcome> {
  let url: URL;
  try {
    url = checkUrlForm(request.url);
  } catch (error) {
    return { ok: false, status: null, error: `Refused: ${(error as Error).message}`, retryable: false };
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: WebhookOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(outcome);
    };
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: hostOf(url),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        // A fresh connection per attempt: a pooled socket could be connected to an unchecked address.
        agent: false,
        lookup: guardedLookup,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(request.body),
          'user-agent': 'Switchboard-Automation/1',
          [DELIVERY_HEADER.toLowerCase()]: request.deliveryId,
          [SIGNATURE_HEADER.toLowerCase()]: request.signature,
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        let read = 0;
        // Only the status matters; the body is drained up to the cap so the receiver is not cut off
        // mid-answer, and anything larger is abandoned.
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) {
            finish(outcomeOf(status, res.headers.location));
            res.destroy();
          }
        });
        res.on('end', () => finish(outcomeOf(status, res.headers.location)));
        res.on('error', () => finish(outcomeOf(status, res.headers.location)));
      },
    );
    const deadline = setTimeout(() => {
      finish({ ok: false, status: null, error: `no answer within ${request.timeoutMs} ms`, retryable: true });
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof WebhookTargetError || error.code === 'EWEBHOOKTARGET') {
        finish({ ok: false, status: null, error: `Refused: ${error.message}`, retryable: false });
      } else {
        finish({ ok: false, status: null, error: error.message || error.code || 'network error', retryable: true });
      }
    });
    req.end(request.body);
  });
}
