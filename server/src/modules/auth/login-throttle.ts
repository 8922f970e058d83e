// Login rate limiting per account and per client address, stored in PostgreSQL so that every API
// server shares the counters. Only failures count; a success clears the account's counter.
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  blockMinutes: number;
}

export class LoginThrottle {
  private readonly perAccount: RateLimiterPostgres;
  private readonly perIp: RateLimiterPostgres;

  constructor(pool: pg.Pool, options: LoginThrottleOptions) {
    const common = {
      storeClient: pool,
      storeType: 'pool',
      tableName: 'login_rate_limits',
      tableCreated: true, // created by the platform migration
      duration: options.blockMinutes * 60,
      blockDuration: options.blockMinutes * 60,
    };
    this.perAccount = new RateLimiterPostgres({ ...common, keyPrefix: 'acct', points: options.maxFailuresPerAccount });
    this.perIp = new RateLimiterPostgres({ ...common, keyPrefix: 'ip', points: options.maxFailuresPerIp });
  }

  /** Seconds until the caller may try again, or 0 when a login attempt is allowed now. */
  async retryAfter(email: string, ip: string): Promise<number> {
    const [account, address] = await Promise.all([this.perAccount.get(email), this.perIp.get(ip)]);
    const waits = [blockedFor(account, this.perAccount.points), blockedFor(address, this.perIp.points)];
    return Math.max(...waits);
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    await Promise.all([
      this.perAccount.penalty(email, 1).catch(() => undefined),
      this.perIp.penalty(ip, 1).catch(() => undefined),
    ]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.perAccount.delete(email).catch(() => undefined);
  }
}

function blockedFor(res: RateLimiterRes | null, points: number): number {
  if (!res || res.consumedPoints < points) return 0;
  return Math.ceil(res.msBeforeNext / 1000);
}
