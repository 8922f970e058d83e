// Runs one rule once for one trigger occurrence. The execution-log row is claimed with the run's
// unique key in the same transaction as the rule's changes, so a run happens at most once however
// many engines see the trigger, and a crash before the commit leaves nothing behind (the next pass
// runs it again). Webhooks run after the commit and their outcome is added to the log.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { forTenant } from '../../db/tenant-scope.js';
import { childLogger } from '../../lib/logger.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { User } from '../users/user.entity.js';
import type { Actor } from '../actor.js';
import type { ActionResult, AutomationRule } from './automation.entity.js';
import { evaluate } from './automation.conditions.js';
import { loadFacts } from './automation.facts.js';
import { ActionRunner, namesFor, type ActionServices } from './automation.actions.js';
import { DEFAULT_WEBHOOK_TIMEOUT_MS, signBody, type WebhookAction } from './automation.webhook.js';
import { decryptSecret } from '../../lib/secrets.js';
import { resultOf, type WebhookDeliveryService } from './webhook-delivery.service.js';

const log = childLogger('automation');

/** A chain of automated changes stops after this many rules (a person's change starts a chain). */
export const MAX_CHAIN_DEPTH = 5;

export type ExecutionStatus = 'SUCCEEDED' | 'PARTIAL' | 'FAILED' | 'NOT_MATCHED' | 'SKIPPED';

export interface RunRequest {
  rule: AutomationRule;
  ticketId: string;
  triggerKey: string;
  /** The timeline event that triggered the run (event triggers). */
  sourceEventId?: string | null;
  /** When the state began (time triggers). */
  occurrenceAt?: Date | null;
  /** Rules that led here, this one last. */
  chain: string[];
  /** Time triggers record a non-match too, so the occurrence is settled and not re-examined. */
  recordNotMatched: boolean;
}

class NotMatched extends Error {}

export class AutomationRunner {
  private readonly actions: ActionRunner;
  private readonly deliveries: WebhookDeliveryService;

  constructor(
    private readonly orm: MikroORM,
    services: ActionServices,
  ) {
    this.actions = new ActionRunner(services);
    this.deliveries = services.webhookDeliveries;
  }

  async run(request: RunRequest): Promise<ExecutionStatus | 'DUPLICATE'> {
    const { rule } = request;
    const tenantId = rule.tenant.id;
    const webhooks: WebhookAction[] = [];
    let executionId: string | null = null;
    const results: ActionResult[] = [];
    try {
      const outcome = await forTenant(this.orm.em, tenantId).transactional(async (tx) => {
        executionId = await this.claim(tx, request, 'RUNNING', null);
        if (!executionId) return 'DUPLICATE' as const;
        // The row lock orders this run after any change in flight and keeps the facts true while acting.
        const ticket = await tx.findOne(Ticket, request.ticketId, {
          lockMode: LockMode.PESSIMISTIC_WRITE,
          refresh: true,
        });
        if (!ticket) throw new Error('the ticket no longer exists');
        if (!evaluate(rule.conditions, await loadFacts(tx, ticket))) {
          if (!request.recordNotMatched) throw new NotMatched();
          await this.finish(tx, executionId, 'NOT_MATCHED', [], null);
          return 'NOT_MATCHED' as const;
        }
        const actor: Actor = {
          tenantId,
          userId: null,
          staff: true,
          automation: { ruleId: rule.id, ruleName: rule.name, chain: request.chain },
        };
        const names = await namesFor(tx, rule.actions);
        for (const [index, action] of rule.actions.entries()) {
          if (action.type === 'WEBHOOK') {
            webhooks.push(action);
            continue;
          }
          try {
            results.push(await this.actions.run(tx, actor, ticket.id, action, { ruleName: rule.name, names }));
          } catch (error) {
            throw new Error(`Action ${index + 1} (${action.type}) failed: ${(error as Error).message}`);
          }
        }
        await this.finish(tx, executionId, webhooks.length ? 'RUNNING' : 'SUCCEEDED', results, null);
        return webhooks.length ? ('RUNNING' as const) : ('SUCCEEDED' as const);
      });
      if (outcome !== 'RUNNING') return outcome;
    } catch (error) {
      if (error instanceof NotMatched) return 'NOT_MATCHED';
      // The rule's changes were rolled back; the failure is logged once under the same key.
      const message = (error as Error).message;
      log.warn({ ruleId: rule.id, ticketId: request.ticketId, err: message }, 'automation rule failed');
      const failed = await forTenant(this.orm.em, tenantId)
        .transactional((tx) => this.claim(tx, request, 'FAILED', message))
        .catch((logError: Error) => log.error({ err: logError.message }, 'could not log a failed rule'));
      return failed ? 'FAILED' : 'DUPLICATE';
    }
    return this.callWebhooks(request, executionId!, results, webhooks);
  }

  /** A run the loop guard stopped, logged (when the rule would have acted) so admins see why a chain ended. */
  async skip(request: RunRequest, reason: string): Promise<void> {
    await forTenant(this.orm.em, request.rule.tenant.id).transactional(async (tx) => {
      const ticket = await tx.findOne(Ticket, request.ticketId, { refresh: true });
      if (!ticket || !evaluate(request.rule.conditions, await loadFacts(tx, ticket))) return;
      await this.claim(tx, request, 'SKIPPED', reason);
    });
  }

  /**
   * Each call is stored as a delivery first (claimed by this run), then attempted once here;
   * retries belong to the delivery service and update the log entry written below.
   */
  private async callWebhooks(
    request: RunRequest,
    executionId: string,
    results: ActionResult[],
    webhooks: WebhookAction[],
  ): Promise<ExecutionStatus> {
    const tenantId = request.rule.tenant.id;
    const em = forTenant(this.orm.em, tenantId);
    const body = JSON.stringify(await this.payload(em, request, executionId));
    const staged = await em.transactional(async (tx) => {
      const made: Array<{ summary: string; deliveryId: string | null; error?: string }> = [];
      for (const action of webhooks) {
        const summary = `POST ${action.url}`;
        let secret: string;
        try {
          if (!action.secretSealed) throw new Error('no signing secret stored');
          secret = decryptSecret(action.secretSealed);
        } catch (error) {
          made.push({ summary, deliveryId: null, error: `Cannot sign: ${(error as Error).message}` });
          continue;
        }
        const deliveryId = await this.deliveries.create(tx, {
          tenantId,
          executionId,
          ruleId: request.rule.id,
          actionId: action.id ?? 'unknown',
          request: {
            url: action.url,
            body,
            signature: signBody(secret, body),
            timeoutMs: action.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS,
          },
        });
        made.push({ summary, deliveryId });
      }
      return made;
    });
    for (const call of staged) {
      if (!call.deliveryId) {
        results.push({ type: 'WEBHOOK', summary: call.summary, ok: false, error: call.error });
        continue;
      }
      const outcome = await this.deliveries.attempt(tenantId, call.deliveryId);
      results.push(resultOf(call.summary, outcome, call.deliveryId));
    }
    const status = results.every((r) => r.ok) ? 'SUCCEEDED' : 'PARTIAL';
    const failures = results.filter((r) => !r.ok).map((r) => `${r.summary}: ${r.error}`);
    await em.transactional((tx) => this.finish(tx, executionId, status, results, failures.join('; ') || null));
    return status;
  }

  private async payload(em: EntityManager, request: RunRequest, executionId: string): Promise<unknown> {
    const ticket = await em.findOneOrFail(Ticket, request.ticketId, { refresh: true });
    const requester = ticket.requester ? await em.findOne(User, ticket.requester.id) : null;
    return {
      executionId,
      rule: { id: request.rule.id, name: request.rule.name, trigger: request.rule.trigger.type },
      sourceEventId: request.sourceEventId ?? null,
      occurrenceAt: request.occurrenceAt?.toISOString() ?? null,
      ticket: {
        id: ticket.id,
        number: ticket.number,
        title: ticket.title,
        status: ticket.status,
        urgency: ticket.urgency,
        importance: ticket.importance,
        tags: ticket.tags,
        assigneeId: ticket.assignee?.id ?? null,
        teamId: ticket.team?.id ?? null,
        requesterEmail: requester?.email ?? null,
      },
      sentAt: new Date().toISOString(),
    };
  }

  /** Inserts the log row under the run's unique key; null when another run has it already. */
  private async claim(
    tx: EntityManager,
    request: RunRequest,
    status: ExecutionStatus | 'RUNNING',
    error: string | null,
  ): Promise<string | null> {
    const rows = await tx.execute<Array<{ id: string }>>(
      `insert into automation_executions
         (id, created_at, updated_at, tenant_id, rule_id, rule_name, ticket_id, trigger_key, trigger,
          source_event_id, occurrence_at, status, depth, results, error, finished_at)
       values (?, now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]'::jsonb, ?, ?)
       on conflict (rule_id, trigger_key) do nothing
       returning id`,
      [
        randomUUID(),
        request.rule.tenant.id,
        request.rule.id,
        request.rule.name,
        request.ticketId,
        request.triggerKey,
        request.rule.trigger.type,
        request.sourceEventId ?? null,
        request.occurrenceAt ?? null,
        status,
        request.chain.length,
        error,
        status === 'RUNNING' ? null : new Date(),
      ],
    );
    return rows[0]?.id ?? null;
  }

  private async finish(
    tx: EntityManager,
    executionId: string,
    status: ExecutionStatus | 'RUNNING',
    results: ActionResult[],
    error: string | null,
  ): Promise<void> {
    await tx.execute(
      `update automation_executions
         set status = ?, results = ?::jsonb, error = ?, finished_at = ?, updated_at = now()
       where id = ?`,
      [status, JSON.stringify(results), error, status === 'RUNNING' ? null : new Date(), executionId],
    );
  }
}
