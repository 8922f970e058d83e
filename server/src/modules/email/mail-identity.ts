import crypto from 'node:crypto';
import { env } from '../../config/env.js';

/** The domain our Message-IDs carry: PUBLIC_URL's host, or MAIL_DOMAIN. */
export function mailDomain(): string {
  const configured = env().MAIL_DOMAIN;
  if (configured) return configured.toLowerCase();
  const publicUrl = env().PUBLIC_URL;
  if (publicUrl) return new URL(publicUrl).hostname.toLowerCase();
  return 'switchboard.localhost';
}

export function newMessageId(): string {
  return `<${crypto.randomUUID()}@${mailDomain()}>`;
}

/** A stable stand-in for mail without a Message-ID, so a re-fetch still deduplicates. */
export function syntheticMessageId(raw: Buffer): string {
  return `<sha256-${crypto.createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id.invalid>`;
}
