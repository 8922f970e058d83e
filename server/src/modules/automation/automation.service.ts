// Managing rules (create, change, order, switch on and off), their execution log, and the dry run.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError } from '../../graphql/errors.js';
import { encryptSecret } from '../../lib/secrets.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { Ticket } from '../tickets/ticket.entity.js';
import { AutomationExecution, AutomationRule } from './automation.entity.js';
import { parseRuleDefinition, type ActionDefinition, type ConditionLeaf } from './automation.definition.js';
import { evaluate, type LeafOutcome } from './automation.conditions.js';
import { loadFacts } from './automation.facts.js';
import { checkReferences, describeAction, namesFor } from './automation.actions.js';
import { checkWebhookUrl, WebhookTargetError } from './webhook-guard.js';

export interface RuleInput {
  name: string;
  enabled?: boolean | null;
  trigger: unknown;
  conditions?: unknown;
  actions: unknown;
}

export interface DryRun {
  ticketNumber: number;
  matched: boolean;
  conditions: Array<{ description: string; matched: boolean }>;
  actions: string[];
}

const MAX_RULES = 200;

function describeLeaf(leaf: ConditionLeaf): string {
  const value = Array.isArray(leaf.value) ? leaf.value.join(', ') : (leaf.value ?? '');
  const operator = leaf.operator.toLowerCase().replace(/_/g, ' ');
  const field = leaf.field.toLowerCase().replace(/_/g, ' ');
  return value ? `${field} ${operator} ${value}` : `${field} ${operator}`;
}

/** What clients see of actions: webhook secrets never leave the server. */
export function publicActions(actions: ActionDefinition[]): Array<Record<string, unknown>> {
  return actions.map((action) => {
    if (action.type !== 'WEBHOOK') return { ...action };
    const { secretSealed, secret: _secret, ...rest } = action;
    return { ...rest, hasSecret: Boolean(secretSealed) };
  });
}

/** Webhooks only to public http(s) addresses (webhook-guard.ts); checked again at every send. */
async function checkWebhookTargets(actions: ActionDefinition[]): Promise<void> {
  for (const [index, action] of actions.entries()) {
    if (action.type !== 'WEBHOOK') continue;
    try {
      await checkWebhookUrl(action.url);
    } catch (error) {
      if (!(error instanceof WebhookTargetError)) throw error;
      throw new DomainError('BAD_USER_INPUT', `actions.${index}.url: ${error.message}`, 'actions');
    }
  }
}

export class AutomationService {
  async list(em: EntityManager): Promise<AutomationRule[]> {
    return em.find(AutomationRule, {}, { orderBy: { position: 'asc', createdAt: 'asc' } });
  }

  async byId(em: EntityManager, id: string): Promise<AutomationRule> {
    const rule = await em.findOne(AutomationRule, id);
    if (!rule) throw new DomainError('NOT_FOUND', 'No such automation rule', 'id');
    return rule;
  }

  async create(em: EntityManager, tenantId: string, input: RuleInput): Promise<AutomationRule> {
    const name = this.name(input.name);
    const definition = parseRuleDefinition(input);
    await checkWebhookTargets(definition.actions);
    return em.transactional(async (tx) => {
      await checkReferences(tx, definition.actions);
      if ((await tx.count(AutomationRule, {})) >= MAX_RULES) {
        throw new DomainError('BAD_USER_INPUT', `At most ${MAX_RULES} rules`, 'name');
      }
      const last = await tx.findOne(AutomationRule, {}, { orderBy: { position: 'desc' } });
      return tx.create(AutomationRule, {
        tenant: tx.getReference(Tenant, tenantId),
        name,
        enabled: input.enabled ?? true,
        position: (last?.position ?? 0) + 1,
        trigger: definition.trigger,
        conditions: definition.conditions,
        actions: this.sealSecrets(definition.actions, []),
      });
    });
  }

  async update(em: EntityManager, id: string, input: RuleInput): Promise<AutomationRule> {
    const name = this.name(input.name);
    const definition = parseRuleDefinition(input);
    await checkWebhookTargets(definition.actions);
    return em.transactional(async (tx) => {
      const rule = await this.byId(tx, id);
      await checkReferences(tx, definition.actions);
      rule.name = name;
      rule.trigger = definition.trigger;
      rule.conditions = definition.conditions;
      rule.actions = this.sealSecrets(definition.actions, rule.actions);
      if (input.enabled != null) this.switch(rule, input.enabled);
      return rule;
    });
  }

  async remove(em: EntityManager, id: string): Promise<boolean> {
    const rule = await this.byId(em, id);
    await em.remove(rule).flush();
    return true;
  }

  async setEnabled(em: EntityManager, id: string, enabled: boolean): Promise<AutomationRule> {
    const rule = await this.byId(em, id);
    this.switch(rule, enabled);
    await em.flush();
    return rule;
  }

  /** The given rules first, in this order; any not listed keep their relative order after them. */
  async reorder(em: EntityManager, ids: string[]): Promise<AutomationRule[]> {
    return em.transactional(async (tx) => {
      const rules = await this.list(tx);
      const byId = new Map(rules.map((r) => [r.id, r]));
      if (new Set(ids).size !== ids.length) throw new DomainError('BAD_USER_INPUT', 'A rule is listed twice', 'ids');
      for (const id of ids) if (!byId.has(id)) throw new DomainError('NOT_FOUND', 'No such automation rule', 'ids');
      const ordered = [...ids.map((id) => byId.get(id)!), ...rules.filter((r) => !ids.includes(r.id))];
      ordered.forEach((rule, index) => (rule.position = index + 1));
      return ordered;
    });
  }

  async executions(
    em: EntityManager,
    filter: { ruleId?: string; ticketId?: string },
    options: { first: number; includeNotMatched: boolean },
  ): Promise<AutomationExecution[]> {
    return em.find(
      AutomationExecution,
      {
        ...(filter.ruleId ? { rule: filter.ruleId } : {}),
        ...(filter.ticketId ? { ticket: filter.ticketId } : {}),
        ...(options.includeNotMatched ? {} : { status: { $ne: 'NOT_MATCHED' } }),
      },
      {
        orderBy: { createdAt: 'desc', id: 'desc' },
        limit: Math.min(Math.max(options.first, 1), 200),
        populate: ['ticket'],
      },
    );
  }

  /** Would the rule (saved, or as being edited) act on ticket #N now, and how? Changes nothing. */
  async dryRun(em: EntityManager, rule: RuleInput | AutomationRule, ticketNumber: number): Promise<DryRun> {
    const definition =
      rule instanceof AutomationRule
        ? { trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions }
        : parseRuleDefinition(rule);
    const ticket = await em.findOne(Ticket, { number: ticketNumber });
    if (!ticket) throw new DomainError('NOT_FOUND', `There is no ticket #${ticketNumber}`, 'ticketNumber');
    const outcomes: LeafOutcome[] = [];
    const matched = evaluate(definition.conditions, await loadFacts(em, ticket), outcomes);
    const names = await namesFor(em, definition.actions);
    return {
      ticketNumber,
      matched,
      conditions: outcomes.map((o) => ({ description: describeLeaf(o.condition), matched: o.matched })),
      actions: definition.actions.map((a) => describeAction(a, names)),
    };
  }

  private switch(rule: AutomationRule, enabled: boolean): void {
    // A rule switched on again does not act on what happened while it was off.
    if (enabled && !rule.enabled) rule.activeSince = new Date();
    rule.enabled = enabled;
  }

  private name(value: string): string {
    const name = value.trim();
    if (!name) throw new DomainError('BAD_USER_INPUT', 'A rule needs a name', 'name');
    if (name.length > 200) throw new DomainError('BAD_USER_INPUT', 'The name is longer than 200 characters', 'name');
    return name;
  }

  /** New secrets are sealed; a webhook sent back without one keeps the secret it had (same action id). */
  private sealSecrets(actions: ActionDefinition[], previous: ActionDefinition[]): ActionDefinition[] {
    return actions.map((action, index) => {
      const id = action.id ?? randomUUID();
      if (action.type !== 'WEBHOOK') return { ...action, id };
      const { secret, secretSealed: _ignored, ...rest } = action;
      const before = previous.find((p) => p.id === action.id && p.type === 'WEBHOOK');
      const sealed = secret ? encryptSecret(secret) : before?.type === 'WEBHOOK' ? before.secretSealed : undefined;
      if (!sealed) {
        throw new DomainError('BAD_USER_INPUT', `actions.${index}: a webhook needs a signing secret`, 'actions');
      }
      return { ...rest, id, secretSealed: sealed };
    });
  }
}
