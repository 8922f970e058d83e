// The one validated configuration. Nothing else in the code base reads process.env.
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import net from 'node:net';
import { z } from 'zod';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

function defaultReadThreads(): number {
  const cores = os.availableParallelism();
  return cores <= 2 ? 0 : Math.min(4, cores - 1);
}

function isHostOrRange(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  if (extra !== undefined || !address) return false;
  const family = net.isIP(address);
  if (family === 0) return prefix === undefined && /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(address);
  const bits = Number(prefix ?? (family === 4 ? 32 : 128));
  return Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  MONGODB_URL: z.string().optional(),
  SECRET_KEY: z
    .string()
    .optional()
    .refine((v) => v === undefined || Buffer.from(v, 'base64').length === 32, {
      message: 'SECRET_KEY must be 32 bytes, base64 encoded (openssl rand -base64 32)',
    }),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: flag,
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(50),
  LOGIN_BLOCK_MINUTES: z.coerce.number().positive().default(15),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().positive().default(12),
  GRAPHQL_MAX_COST: z.coerce.number().int().positive().default(5000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().positive().default(30),
  HTTP_BODY_LIMIT: z.string().default('1mb'),
  /** The domain of our Message-IDs; mail carrying it is our own coming back (a loop). */
  MAIL_DOMAIN: z.string().optional(),
  /** New tickets per sender per hour before further mail is held for review. */
  MAIL_SENDER_TICKETS_PER_HOUR: z.coerce.number().int().positive().default(20),
  /** Threads that parse incoming mail beside the main thread (0: parse on it). On two cores a
   * reading thread only competes with the main thread and PostgreSQL (measured: slower), so the
   * default is none there, and one per core beyond the first (at most four) above that. */
  MAIL_READ_THREADS: z.coerce.number().int().min(0).max(64).default(defaultReadThreads()),
  IMAP_POLL_INTERVAL_SECONDS: z.coerce.number().positive().default(60),
  /** How long a worker's claim on a mailbox lasts without a heartbeat (failover time). 20 s: with
   * 1,000 addresses a dead worker's mailboxes are all watched again within a minute (benchmarks). */
  MAILBOX_LEASE_SECONDS: z.coerce.number().positive().default(20),
  /** First retry delay of a mail that could not be sent; doubles per attempt, capped at 1 h. */
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().positive().default(30),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(25 * 1024 * 1024),
  /**
   * Webhooks only go to public addresses (SSRF guard). Comma-separated IPs, CIDR ranges or host
   * names that may be called anyway, e.g. `10.1.2.3,192.168.0.0/16,hooks.internal`. Empty: none.
   */
  WEBHOOK_ALLOW_PRIVATE_HOSTS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine((entries) => entries.every(isHostOrRange), {
      message: 'WEBHOOK_ALLOW_PRIVATE_HOSTS: comma-separated IP addresses, CIDR ranges (10.0.0.0/8) or host names',
    }),
  HOUSEKEEPING_INTERVAL: z.string().default('10 minutes'),
  JOB_POLL_INTERVAL: z.string().default('1 second'),
  // Test-only speedups for the throwaway databases of the test suite.
  PG_FSYNC_OFF: flag,
});

export type Env = z.infer<typeof schema>;

export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let current: Env | undefined;

/** The process-wide configuration, validated once on first use. */
export function env(): Env {
  current ??= loadEnv();
  return current;
}

/** Test harnesses start servers in-process with their own settings. */
export function overrideEnv(values: Partial<Env>): Env {
  current = { ...env(), ...values };
  return current;
}
