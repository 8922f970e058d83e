// Real mail servers for tests: an in-process IMAP server (hoodiecrow, with IDLE) and an SMTP server
// (smtp-server) that keeps what it receives.
import { createRequire } from 'node:module';
import net from 'node:net';
import { SMTPServer } from 'smtp-server';
import { ImapFlow } from 'imapflow';

const require = createRequire(import.meta.url);

export interface ImapTestServer {
  port: number;
  user: string;
  password: string;
  /** Delivers a message into INBOX the way a mail server would (IMAP APPEND). */
  deliver(raw: string): Promise<void>;
  close(): Promise<void>;
}

export async function startImapServer(): Promise<ImapTestServer> {
  type Hoodiecrow = {
    listen(port: number, host: string, done: () => void): void;
    close(done: () => void): void;
    server: net.Server;
  };
  const hoodiecrow = require('hoodiecrow-imap') as (options: Record<string, unknown>) => Hoodiecrow;
  const server = hoodiecrow({
    plugins: ['IDLE', 'ENABLE', 'UNSELECT', 'SPECIAL-USE', 'SASL-IR', 'AUTH-PLAIN'],
    users: { support: { password: 'imap-pass', xoauth2: { accessToken: 'x', sessionTimeout: 3600 } } },
    storage: { INBOX: { messages: [] }, '': { separator: '/', folders: {} } },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  // Closing waits for every connection; a test's leftover client must not hold it open.
  const sockets = new Set<net.Socket>();
  server.server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    port,
    user: 'support',
    password: 'imap-pass',
    async deliver(raw) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user: 'support', pass: 'imap-pass' },
        logger: false,
      });
      client.on('error', () => undefined); // a reset after LOGOUT is not the test's concern
      await client.connect();
      try {
        await client.append('INBOX', Buffer.from(raw.replace(/\r?\n/g, '\r\n')));
      } finally {
        await client.logout();
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpTestServer {
  port: number;
  received: ReceivedMail[];
  /** Refuse (421, temporary) or accept mail, to simulate an outage. */
  setDown(down: boolean): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/** `auth`: a server that requires these credentials (AUTH PLAIN/LOGIN without TLS, loopback only). */
export async function startSmtpServer(
  options: { auth?: { user: string; pass: string } } = {},
): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = [];
  let down = false;
  const { auth } = options;
  const server = new SMTPServer({
    closeTimeout: 1_000,
    authOptional: !auth,
    allowInsecureAuth: Boolean(auth),
    onAuth: (login, _session, callback) => {
      if (auth && login.username === auth.user && login.password === auth.pass)
        return callback(null, { user: login.username });
      callback(new Error('Invalid username or password'));
    },
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom: (_address, _session, callback) => {
      if (down) {
        const error = new Error('Service temporarily unavailable') as Error & { responseCode: number };
        error.responseCode = 421;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as net.AddressInfo).port;
  return {
    port,
    received,
    setDown: (value) => (down = value),
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return received;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Polls `check` until it returns a value (not undefined/null/false). */
export async function eventually<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
