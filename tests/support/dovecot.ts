// A throwaway Dovecot (Debian's dovecot-imapd) on a free port, for the real-IMAP system tests:
// its own base/state dirs, plaintext auth on loopback, a passwd-file with the test users and
// maildirs owned by Debian's `dovecot` user (mail processes refuse root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT_BINARY = '/usr/sbin/dovecot';

export function dovecotAvailable(): boolean {
  return fs.existsSync(DOVECOT_BINARY);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function userIds(name: string): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} user: install dovecot-imapd`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface DovecotServer {
  port: number;
  password: string;
  /** Delivers a message into a user's INBOX by IMAP APPEND. */
  deliver(user: string, raw: string): Promise<void>;
  /** A logged-in connection for many APPENDs (times APPEND alone, without a login each). */
  appender(user: string): Promise<{ append(raw: string): Promise<void>; close(): Promise<void> }>;
  /** Stops the server (connections drop), keeping the mail; `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `clients`: how many IMAP connections the instance must hold at once (the 1,000-mailbox benchmark):
 * imap-login in high-performance mode (one process for all logins) and an imap process per
 * connection allowed for all of them (Dovecot's memory, not ours).
 */
export async function startDovecot(users: string[], options: { clients?: number } = {}): Promise<DovecotServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-dovecot-'));
  fs.chmodSync(root, 0o755);
  const { uid, gid } = userIds('dovecot');
  const port = await freePort();
  const password = 'dovecot-pass';
  const mailRoot = path.join(root, 'mail');
  fs.mkdirSync(mailRoot);
  fs.chownSync(mailRoot, uid, gid);
  fs.writeFileSync(path.join(root, 'passwd'), users.map((u) => `${u}:{PLAIN}${password}::::::`).join('\n') + '\n');
  const instance = `sbtest${port}`;
  const conf = path.join(root, 'dovecot.conf');
  fs.writeFileSync(
    conf,
    `protocols = imap
listen = 127.0.0.1
base_dir = ${root}/run
state_dir = ${root}/state
instance_name = ${instance}
log_path = ${root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = ${uid}
last_valid_uid = 0
mail_location = maildir:${mailRoot}/%u
default_internal_user = dovecot
default_login_user = dovenull
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${root}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${mailRoot}/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service imap-login {
  chroot =
}
${options.clients ? scaleConfig(options.clients) : ''}`,
  );
  let child: ChildProcess | null = null;

  async function waitForPort(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.end();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (ok) return;
      if (Date.now() > deadline) {
        const log = fs.existsSync(path.join(root, 'dovecot.log'))
          ? fs.readFileSync(path.join(root, 'dovecot.log'), 'utf8')
          : '';
        throw new Error(`dovecot did not start on ${port}\n${log.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const server: DovecotServer = {
    port,
    password,
    async start() {
      child = spawn(DOVECOT_BINARY, ['-F', '-c', conf], { stdio: 'ignore' });
      await waitForPort();
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
    async deliver(user, raw) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user, pass: password },
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
    async appender(user) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        auth: { user, pass: password },
        logger: false,
      });
      client.on('error', () => undefined);
      await client.connect();
      return {
        append: async (raw) => {
          await client.append('INBOX', Buffer.from(raw.replace(/\r?\n/g, '\r\n')));
        },
        close: () => client.logout(),
      };
    },
    async close() {
      await server.stop();
      spawnSync('rm', ['-rf', root]);
    },
  };
  await server.start();
  return server;
}

function scaleConfig(clients: number): string {
  const limit = clients + 100;
  return `default_client_limit = ${limit}
mail_max_userip_connections = 20
service imap-login {
  service_count = 0
  client_limit = ${limit}
  process_min_avail = 1
}
service imap {
  process_limit = ${limit}
}
service anvil {
  client_limit = ${limit + 100}
}
service stats {
  client_limit = ${limit + 100}
}
`;
}
