// Rate limits of the public widget endpoint, stored in PostgreSQL (rate-limiter-flexible) so every
// API server shares the counters. Limits differ per tenant, so the limiters only count (their own
// `points` are never reached) and the tenant's setting decides.
import type pg from 'pg';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { DomainError } from '../../graphql/errors.js';

/** Any visitor request from one address, whatever the tenant: a floor against floods. */
export const REQUESTS_PER_MINUTE_PER_IP = 300;
/** Typing notices per visitor per minute; more are dropped silently. */
export const TYPING_PER_MINUTE = 40;

export class LiveChatLimits {
  private readonly perMinute: RateLimiterPostgres;
  private readonly perHour: RateLimiterPostgres;

  constructor(pool: pg.Pool) {
    const common = {
      storeClient: pool,
      storeType: 'pool',
      tableName: 'livechat_rate_limits',
      tableCreated: true, // created by the livechat migration
      points: 1_000_000_000,
    };
    this.perMinute = new RateLimiterPostgres({ ...common, keyPrefix: 'lc-m', duration: 60 });
    this.perHour = new RateLimiterPostgres({ ...common, keyPrefix: 'lc-h', duration: 3600 });
  }

  /** Counts one request from an address; throws TOO_MANY_REQUESTS past the floor. */
  async request(ip: string): Promise<void> {
    await this.take(this.perMinute, `ip:${ip}`, REQUESTS_PER_MINUTE_PER_IP);
  }

  async conversationStarted(tenantId: string, ip: string, limitPerHour: number): Promise<void> {
    await this.take(this.perHour, `start:${tenantId}:${ip}`, limitPerHour);
  }

  async visitorMessage(conversationId: string, limitPerMinute: number): Promise<void> {
    await this.take(this.perMinute, `msg:${conversationId}`, limitPerMinute);
  }

  /** Whether another typing notice may go out now. */
  async typing(conversationId: string): Promise<boolean> {
    const res = await this.perMinute.consume(`typing:${conversationId}`);
    return res.consumedPoints <= TYPING_PER_MINUTE;
  }

  private async take(limiter: RateLimiterPostgres, key: string, limit: number): Promise<void> {
    const res = await limiter.consume(key);
    if (res.consumedPoints > limit) {
      const seconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      throw new DomainError('TOO_MANY_REQUESTS', `Too many requests; try again in ${seconds} s`);
    }
  }
}
