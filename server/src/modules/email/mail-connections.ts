// Connections to a support address's mail servers, built in one place for tests, fetching and sending.
import { ImapFlow } from 'imapflow';
import nodemailer, { type Transporter } from 'nodemailer';
import { decryptSecret } from '../../lib/secrets.js';
import { SmtpSecurity, type EmailAddress } from './email-address.entity.js';

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
}

export function imapClient(address: EmailAddress, options: { idle?: boolean } = {}): ImapFlow {
  return new ImapFlow({
    disableAutoIdle: options.idle === false,
    host: address.imapHost,
    port: address.imapPort,
    secure: address.imapTls,
    auth: { user: address.imapUser, pass: decryptSecret(address.imapPasswordSealed) },
    logger: false,
    // IDLE right after each command: a server tells an IDLE client of new mail at once, but a
    // client between commands only at its next command, so every millisecond here is latency
    // (imapflow's default waits 15 s).
    autoIdleDelay: 25,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    tls: { rejectUnauthorized: true },
  });
}

export function smtpTransport(options: {
  host: string;
  port: number;
  security: SmtpSecurity;
  user?: string | null;
  passwordSealed?: string | null;
}): Transporter {
  return nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.security === SmtpSecurity.TLS,
    requireTLS: options.security === SmtpSecurity.STARTTLS,
    ignoreTLS: options.security === SmtpSecurity.NONE,
    auth: options.user
      ? { user: options.user, pass: options.passwordSealed ? decryptSecret(options.passwordSealed) : '' }
      : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

export function addressTransport(address: EmailAddress): Transporter {
  return smtpTransport({
    host: address.smtpHost,
    port: address.smtpPort,
    security: address.smtpSecurity,
    user: address.smtpUser,
    passwordSealed: address.smtpPasswordSealed,
  });
}

/** The server's own words: what an admin needs to fix the settings. */
export function serverMessage(error: unknown): string {
  const e = error as {
    responseText?: string;
    response?: string;
    message?: string;
    code?: string;
    authenticationFailed?: boolean;
  };
  const text = e.responseText ?? e.response ?? e.message ?? String(error);
  return [e.code, text].filter(Boolean).join(': ').slice(0, 1000);
}

export function isAuthFailure(error: unknown): boolean {
  const e = error as { authenticationFailed?: boolean; code?: string; serverResponseCode?: string };
  return e.authenticationFailed === true || e.code === 'EAUTH' || e.serverResponseCode === 'AUTHENTICATIONFAILED';
}

export async function testImap(address: EmailAddress): Promise<ConnectionTestResult> {
  const client = imapClient(address);
  client.on('error', () => undefined);
  try {
    await client.connect();
    const mailbox = await client.mailboxOpen(address.imapFolder, { readOnly: true });
    return { ok: true, message: `Connected; ${address.imapFolder} has ${mailbox.exists} messages` };
  } catch (error) {
    return { ok: false, message: serverMessage(error) };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export async function testSmtp(address: EmailAddress): Promise<ConnectionTestResult> {
  const transport = addressTransport(address);
  try {
    await transport.verify();
    return { ok: true, message: `Connected to ${address.smtpHost}:${address.smtpPort}` };
  } catch (error) {
    return { ok: false, message: serverMessage(error) };
  } finally {
    transport.close();
  }
}
