// Webhook deliveries with retries. A rule run stores each call as a row (already claimed by the
// runner, which makes the first attempt at once); failures worth repeating (network error, timeout,
// 5xx, 429) are tried again after 30 s, 2 min, 10 min, 1 h and 6 h, by whichever worker claims the
// row first (FOR UPDATE SKIP LOCKED, and a lease: `next_attempt_at` moves ahead when a row is
// claimed, so a claimed row is neither due for anyone else nor lost if its worker dies). A
// delivery's outcome is written back into its execution-log entry.
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { acrossTenants, forTenant } from '../../db/tenant-scope.js';
import { DomainError } from '../../graphql/errors.js';
import { childLogger } from '../../lib/logger.js';
import type { ActionResult } from './automation.entity.js';
import { postWebhook, type WebhookOutcome, type WebhookRequest } from './automation.webhook.js';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity.js';

const log = childLogger('webhooks');

/** Waits before the 2nd, 3rd, … attempt: the first attempt plus five retries. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed attempt may take before another worker may take the row over. */
const LEASE_MS = 5 * 60_000;

export interface NewDelivery {
  tenantId: string;
  executionId: string;
  ruleId: string;
  actionId: string;
  request: Omit<WebhookRequest, 'deliveryId'>;
}

interface ClaimedRow {
  id: string;
  tenant_id: string;
  execution_id: string;
  url: string;
  body: string;
  signature: string;
  timeout_ms: number;
  attempts: number;
}

export class WebhookDeliveryService {
  constructor(
    private readonly orm: MikroORM,
    /** The one place a request leaves the process; tests may watch it. */
    private readonly send: (request: WebhookRequest) => Promise<WebhookOutcome> = postWebhook,
  ) {}

  /** Stores a delivery claimed by the caller (first attempt counted), who then calls `attempt`. */
  async create(tx: EntityManager, delivery: NewDelivery, now = new Date()): Promise<string> {
    const id = randomUUID();
    await tx.execute(
      `insert into automation_webhook_deliveries
         (id, created_at, updated_at, tenant_id, execution_id, rule_id, action_id, url, body, signature,
          timeout_ms, status, attempts, next_attempt_at)
       values (?, now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
      [
        id,
        delivery.tenantId,
        delivery.executionId,
        delivery.ruleId,
        delivery.actionId,
        delivery.request.url,
        delivery.request.body,
        delivery.request.signature,
        delivery.request.timeoutMs,
        WebhookDeliveryStatus.PENDING,
        new Date(now.getTime() + LEASE_MS),
      ],
    );
    return id;
  }

  /** The attempt the caller claimed (by `create`): sends and records it. */
  async attempt(tenantId: string, id: string, now = new Date()): Promise<WebhookOutcome> {
    const rows = await forTenant(this.orm.em, tenantId)
      .fork()
      .getConnection()
      .execute<ClaimedRow[]>(`select * from automation_webhook_deliveries where id = ? and tenant_id = ?`, [
        id,
        tenantId,
      ]);
    const row = rows[0];
    if (!row) return { ok: false, status: null, error: 'the delivery no longer exists', retryable: false };
    return this.sendClaimed(row, now, { final: false });
  }

  /** Sends every due retry, batch by batch; returns how many attempts were made. */
  async sendDue(limit = 20, now = new Date()): Promise<number> {
    let made = 0;
    for (;;) {
      const claimed = await this.claimDue(limit, now);
      for (const row of claimed) await this.sendClaimed(row, now, { final: false });
      made += claimed.length;
      if (claimed.length < limit) return made;
    }
  }

  /** A manager's "retry now" of a failed delivery: one more attempt, made at once. */
  async retryNow(em: EntityManager, id: string, now = new Date()): Promise<WebhookDelivery> {
    const delivery = await em.findOne(WebhookDelivery, id);
    if (!delivery) throw new DomainError('NOT_FOUND', 'No such webhook delivery', 'id');
    const claimed = await em.execute<ClaimedRow[]>(
      `update automation_webhook_deliveries
         set status = ?, attempts = attempts + 1, next_attempt_at = ?, updated_at = now()
       where id = ? and tenant_id = ? and status = ?
       returning id, tenant_id, execution_id, url, body, signature, timeout_ms, attempts`,
      [
        WebhookDeliveryStatus.RETRYING,
        new Date(now.getTime() + LEASE_MS),
        id,
        delivery.tenant.id,
        WebhookDeliveryStatus.FAILED,
      ],
    );
    if (!claimed[0]) {
      throw new DomainError('BAD_USER_INPUT', 'Only a failed delivery can be retried (this one is not failed)', 'id');
    }
    await this.sendClaimed(claimed[0], now, { final: true });
    return em.findOneOrFail(WebhookDelivery, id, { refresh: true });
  }

  /** The deliveries of these runs, oldest first, grouped by run. */
  async ofExecutions(em: EntityManager, executionIds: readonly string[]): Promise<Map<string, WebhookDelivery[]>> {
    const rows = executionIds.length
      ? await em.find(
          WebhookDelivery,
          { execution: { $in: [...executionIds] } },
          { orderBy: { createdAt: 'asc', id: 'asc' } },
        )
      : [];
    const byExecution = new Map<string, WebhookDelivery[]>();
    for (const row of rows) byExecution.set(row.execution.id, [...(byExecution.get(row.execution.id) ?? []), row]);
    return byExecution;
  }

  /** Claims due rows for this worker: locked rows are someone else's, and claiming moves them ahead. */
  private async claimDue(limit: number, now: Date): Promise<ClaimedRow[]> {
    return acrossTenants(this.orm.em).transactional(async (tx) => {
      const rows = await tx.execute<ClaimedRow[]>(
        `with due as (
           select id from automation_webhook_deliveries
           where status in (?, ?) and next_attempt_at <= ?
           order by next_attempt_at limit ? for update skip locked
         )
         update automation_webhook_deliveries d
           set attempts = d.attempts + 1, next_attempt_at = ?, updated_at = now()
         from due where d.id = due.id
         returning d.id, d.tenant_id, d.execution_id, d.url, d.body, d.signature, d.timeout_ms, d.attempts`,
        [WebhookDeliveryStatus.PENDING, WebhookDeliveryStatus.RETRYING, now, limit, new Date(now.getTime() + LEASE_MS)],
      );
      return rows;
    });
  }

  private async sendClaimed(row: ClaimedRow, now: Date, options: { final: boolean }): Promise<WebhookOutcome> {
    // A worker died during the last attempt: nothing is left to try.
    const outcome: WebhookOutcome =
      row.attempts > MAX_ATTEMPTS && !options.final
        ? { ok: false, status: null, error: 'the last attempt was interrupted', retryable: false }
        : await this.send({
            url: row.url,
            body: row.body,
            signature: row.signature,
            deliveryId: row.id,
            timeoutMs: row.timeout_ms,
          });
    await this.record(row, outcome, now, options.final);
    return outcome;
  }

  /** Writes the attempt's outcome to the delivery and to its entry in the execution log. */
  private async record(row: ClaimedRow, outcome: WebhookOutcome, now: Date, final: boolean): Promise<void> {
    const again = !outcome.ok && outcome.retryable && !final && row.attempts < MAX_ATTEMPTS;
    const status = outcome.ok
      ? WebhookDeliveryStatus.DELIVERED
      : again
        ? WebhookDeliveryStatus.RETRYING
        : WebhookDeliveryStatus.FAILED;
    const nextAttemptAt = again ? new Date(now.getTime() + RETRY_DELAYS_MS[row.attempts - 1]!) : null;
    await forTenant(this.orm.em, row.tenant_id).transactional(async (tx) => {
      await tx.execute(
        `update automation_webhook_deliveries
           set status = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?,
               delivered_at = ?, updated_at = now()
         where id = ?`,
        [status, nextAttemptAt, outcome.status, outcome.error, outcome.ok ? now : null, row.id],
      );
      await this.updateExecution(tx, row, outcome);
    });
    if (!outcome.ok) {
      log.warn({ deliveryId: row.id, attempt: row.attempts, status, err: outcome.error }, 'webhook attempt failed');
    }
  }

  /**
   * Retries change what the run's log says about this call (and the run: SUCCEEDED once every
   * action went through). The runner writes the entry after the first attempt; until then there
   * is nothing to change.
   */
  private async updateExecution(tx: EntityManager, row: ClaimedRow, outcome: WebhookOutcome): Promise<void> {
    const [execution] = await tx.execute<Array<{ results: ActionResult[]; status: string }>>(
      'select results, status from automation_executions where id = ? for update',
      [row.execution_id],
    );
    const index = execution?.results.findIndex((r) => r.deliveryId === row.id) ?? -1;
    if (!execution || index < 0 || (execution.status !== 'SUCCEEDED' && execution.status !== 'PARTIAL')) return;
    const results = execution.results.map((r, i) => (i === index ? resultOf(r.summary, outcome, row.id) : r));
    const failures = results.filter((r) => !r.ok).map((r) => `${r.summary}: ${r.error}`);
    await tx.execute(
      'update automation_executions set results = ?::jsonb, status = ?, error = ?, updated_at = now() where id = ?',
      [
        JSON.stringify(results),
        failures.length ? 'PARTIAL' : 'SUCCEEDED',
        failures.join('; ') || null,
        row.execution_id,
      ],
    );
  }
}

/** The execution-log entry of a webhook call after an attempt. */
export function resultOf(summary: string, outcome: WebhookOutcome, deliveryId: string): ActionResult {
  const base = summary.replace(/ → HTTP \d+$/, '');
  return outcome.ok
    ? { type: 'WEBHOOK', summary: `${base} → HTTP ${outcome.status}`, ok: true, deliveryId }
    : { type: 'WEBHOOK', summary: base, ok: false, error: outcome.error ?? 'failed', deliveryId };
}
