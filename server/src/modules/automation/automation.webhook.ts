// Webhook actions: a JSON POST signed with HMAC-SHA256 over the exact body, with a timeout. Any
// failure (refused, timeout, non-2xx) becomes a result in the execution log, never an exception.
import crypto from 'node:crypto';
import { decryptSecret } from '../../lib/secrets.js';
import type { ActionResult } from './automation.entity.js';
import type { ActionDefinition } from './automation.definition.js';

export type WebhookAction = Extract<ActionDefinition, { type: 'WEBHOOK' }>;

export const SIGNATURE_HEADER = 'X-Switchboard-Signature';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;

/** `sha256=<hex>` of the body: receivers recompute it with their copy of the secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function callWebhook(action: WebhookAction, payload: unknown, deliveryId: string): Promise<ActionResult> {
  const summary = `POST ${action.url}`;
  let secret: string;
  try {
    if (!action.secretSealed) throw new Error('no signing secret stored');
    secret = decryptSecret(action.secretSealed);
  } catch (error) {
    return { type: 'WEBHOOK', summary, ok: false, error: `Cannot sign: ${(error as Error).message}` };
  }
  const body = JSON.stringify(payload);
  const timeoutMs = action.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  try {
    const response = await fetch(action.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Automation/1',
        'x-switchboard-delivery': deliveryId,
        [SIGNATURE_HEADER.toLowerCase()]: signBody(secret, body),
      },
      body,
    });
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return ok
      ? { type: 'WEBHOOK', summary: `${summary} → HTTP ${response.status}`, ok }
      : { type: 'WEBHOOK', summary, ok, error: `HTTP ${response.status}` };
  } catch (error) {
    const err = error as Error;
    const reason =
      err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err.cause as Error)?.message || err.message;
    return { type: 'WEBHOOK', summary, ok: false, error: reason };
  }
}
