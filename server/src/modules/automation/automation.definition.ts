// What a rule is made of (trigger, condition tree, actions), validated with zod. Definitions arrive
// as JSON from the API; anything malformed is a BAD_USER_INPUT naming the part that is wrong.
import { z } from 'zod';
import { DomainError } from '../../graphql/errors.js';
import { Level, TicketStatus } from '../tickets/ticket.enums.js';
import { Role } from '../users/user.entity.js';
import { MailTemplateEvent } from '../email/mail-template.entity.js';

export const EVENT_TRIGGERS = [
  'TICKET_CREATED',
  'TICKET_UPDATED',
  'STATUS_CHANGED',
  'PRIORITY_CHANGED',
  'ASSIGNMENT_CHANGED',
  'COMMENT_ADDED',
  'EMAIL_RECEIVED',
  'SLA_WARNING',
  'SLA_BREACHED',
] as const;
export const TIME_TRIGGERS = ['UNASSIGNED_FOR', 'PENDING_FOR', 'RESOLVED_FOR'] as const;
export type EventTriggerType = (typeof EVENT_TRIGGERS)[number];
export type TimeTriggerType = (typeof TIME_TRIGGERS)[number];
export type TriggerType = EventTriggerType | TimeTriggerType;

export function isTimeTrigger(type: string): type is TimeTriggerType {
  return (TIME_TRIGGERS as readonly string[]).includes(type);
}

const MAX_MINUTES = 365 * 24 * 60;

const triggerSchema = z
  .object({
    type: z.enum([...EVENT_TRIGGERS, ...TIME_TRIGGERS]),
    /** Time triggers: how long the ticket must have been in the state. */
    minutes: z.number().int().min(1).max(MAX_MINUTES).optional(),
    /** COMMENT_ADDED: which comments count. */
    visibility: z.enum(['ANY', 'PUBLIC', 'INTERNAL']).optional(),
  })
  .strict()
  .superRefine((trigger, ctx) => {
    if (isTimeTrigger(trigger.type) && trigger.minutes === undefined) {
      ctx.addIssue({ code: 'custom', path: ['minutes'], message: `${trigger.type} needs a duration in minutes` });
    }
  });
export type TriggerDefinition = z.infer<typeof triggerSchema>;

export const CONDITION_FIELDS = [
  'STATUS',
  'URGENCY',
  'IMPORTANCE',
  'ASSIGNEE',
  'TEAM',
  'TAGS',
  'TITLE',
  'DESCRIPTION',
  'TEXT',
  'REQUESTER_EMAIL',
  'REQUESTER_DOMAIN',
  'COMPANY',
  'SOURCE_ADDRESS',
  'CHANNEL',
  'ISSUE_TYPE',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const OPERATORS = [
  'IS',
  'IS_NOT',
  'IN',
  'NOT_IN',
  'CONTAINS',
  'NOT_CONTAINS',
  'ENDS_WITH',
  'AT_LEAST',
  'AT_MOST',
  'IS_EMPTY',
  'IS_NOT_EMPTY',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const CHANNELS = ['EMAIL', 'PORTAL', 'AGENT', 'CHAT'] as const;

const CHOICE = ['IS', 'IS_NOT', 'IN', 'NOT_IN'] as const;
const REFERENCE = [...CHOICE, 'IS_EMPTY', 'IS_NOT_EMPTY'] as const;
const TEXT = ['CONTAINS', 'NOT_CONTAINS'] as const;

/** Which operators each field understands. */
export const FIELD_OPERATORS: Record<ConditionField, readonly Operator[]> = {
  STATUS: CHOICE,
  URGENCY: [...CHOICE, 'AT_LEAST', 'AT_MOST'],
  IMPORTANCE: [...CHOICE, 'AT_LEAST', 'AT_MOST'],
  ASSIGNEE: REFERENCE,
  TEAM: REFERENCE,
  TAGS: ['CONTAINS', 'NOT_CONTAINS', 'IS_EMPTY', 'IS_NOT_EMPTY'],
  TITLE: TEXT,
  DESCRIPTION: TEXT,
  TEXT,
  REQUESTER_EMAIL: ['IS', 'IS_NOT', 'CONTAINS', 'ENDS_WITH', 'IS_EMPTY', 'IS_NOT_EMPTY'],
  REQUESTER_DOMAIN: CHOICE,
  COMPANY: REFERENCE,
  SOURCE_ADDRESS: REFERENCE,
  CHANNEL: CHOICE,
  ISSUE_TYPE: CHOICE,
};

/** Fields whose values come from a fixed list. */
const FIELD_VALUES: Partial<Record<ConditionField, readonly string[]>> = {
  STATUS: Object.values(TicketStatus),
  URGENCY: Object.values(Level),
  IMPORTANCE: Object.values(Level),
  CHANNEL: CHANNELS,
};
const ID_FIELDS: readonly ConditionField[] = ['ASSIGNEE', 'TEAM', 'COMPANY', 'SOURCE_ADDRESS'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ConditionLeaf {
  type: 'condition';
  field: ConditionField;
  operator: Operator;
  value?: string | string[] | null;
}
export interface ConditionGroup {
  type: 'group';
  op: 'AND' | 'OR';
  children: ConditionNode[];
}
export type ConditionNode = ConditionLeaf | ConditionGroup;

const leafSchema = z
  .object({
    type: z.literal('condition'),
    field: z.enum(CONDITION_FIELDS),
    operator: z.enum(OPERATORS),
    value: z.union([z.string().max(500), z.array(z.string().max(500)).max(100), z.null()]).optional(),
  })
  .strict()
  .superRefine((leaf, ctx) => {
    const problem = leafProblem(leaf);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const nodeSchema: z.ZodType<ConditionNode> = z.lazy(() =>
  z.union([
    leafSchema,
    z
      .object({
        type: z.literal('group'),
        op: z.enum(['AND', 'OR']),
        children: z.array(nodeSchema).max(50),
      })
      .strict(),
  ]),
);

function leafProblem(leaf: ConditionLeaf): string | null {
  const allowed = FIELD_OPERATORS[leaf.field];
  if (!allowed.includes(leaf.operator)) {
    return `${leaf.field} cannot be compared with ${leaf.operator} (use ${allowed.join(', ')})`;
  }
  const value = leaf.value;
  if (leaf.operator === 'IS_EMPTY' || leaf.operator === 'IS_NOT_EMPTY') return null;
  const values = leaf.operator === 'IN' || leaf.operator === 'NOT_IN' ? value : [value];
  if (!Array.isArray(values) || values.length === 0) {
    return leaf.operator === 'IN' || leaf.operator === 'NOT_IN'
      ? `${leaf.field} ${leaf.operator} needs a list of values`
      : `${leaf.field} ${leaf.operator} needs one value`;
  }
  for (const item of values) {
    if (typeof item !== 'string' || !item.trim()) return `${leaf.field} ${leaf.operator} needs a value`;
    const choices = FIELD_VALUES[leaf.field];
    if (choices && !choices.includes(item)) return `${item} is not a ${leaf.field} (use ${choices.join(', ')})`;
    if (ID_FIELDS.includes(leaf.field) && !UUID.test(item)) return `${leaf.field} needs an id, not "${item}"`;
  }
  return null;
}

const id = z.string().max(64).optional();
const uuid = z.string().regex(UUID, 'must be an id');
const TEMPLATE_EVENTS = Object.values(MailTemplateEvent).filter((e) => e !== MailTemplateEvent.PASSWORD_RESET);

const actionSchema = z.discriminatedUnion('type', [
  z.object({ id, type: z.literal('ASSIGN_USER'), userId: uuid }).strict(),
  z
    .object({
      id,
      type: z.literal('ASSIGN_TEAM'),
      teamId: uuid,
      /** Hand the ticket to the team's next member even when someone has it already. */
      reassign: z.boolean().optional(),
    })
    .strict(),
  z.object({ id, type: z.literal('SET_STATUS'), status: z.enum(TicketStatus) }).strict(),
  z.object({ id, type: z.literal('SET_URGENCY'), level: z.enum(Level) }).strict(),
  z.object({ id, type: z.literal('SET_IMPORTANCE'), level: z.enum(Level) }).strict(),
  z.object({ id, type: z.literal('ADD_TAG'), tag: z.string().trim().min(1).max(50) }).strict(),
  z.object({ id, type: z.literal('REMOVE_TAG'), tag: z.string().trim().min(1).max(50) }).strict(),
  z.object({ id, type: z.literal('ADD_NOTE'), body: z.string().trim().min(1).max(10_000) }).strict(),
  z
    .object({
      id,
      type: z.literal('NOTIFY'),
      userIds: z.array(uuid).max(100).default([]),
      roles: z
        .array(z.enum([Role.ADMIN, Role.MANAGER, Role.AGENT]))
        .max(3)
        .default([]),
      assignee: z.boolean().default(false),
      message: z.string().trim().max(300).optional(),
    })
    .strict()
    .refine((a) => a.userIds.length > 0 || a.roles.length > 0 || a.assignee, {
      message: 'NOTIFY needs someone to notify (users, roles or the assignee)',
    }),
  z.object({ id, type: z.literal('SEND_MAIL'), template: z.enum(TEMPLATE_EVENTS) }).strict(),
  z
    .object({
      id,
      type: z.literal('WEBHOOK'),
      url: z
        .string()
        .url()
        .max(2_000)
        .refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) address'),
      /** Write-only: the signing secret in plain text; stored sealed in `secretSealed`. */
      secret: z.string().min(8).max(200).optional(),
      secretSealed: z.string().optional(),
      timeoutMs: z.number().int().min(100).max(30_000).optional(),
    })
    .strict(),
]);
export type ActionDefinition = z.infer<typeof actionSchema>;
export type ActionType = ActionDefinition['type'];

export const ruleDefinitionSchema = z.object({
  trigger: triggerSchema,
  conditions: nodeSchema,
  actions: z.array(actionSchema).min(1, 'A rule needs at least one action').max(20),
});
export type RuleDefinition = z.infer<typeof ruleDefinitionSchema>;

const EMPTY_GROUP: ConditionGroup = { type: 'group', op: 'AND', children: [] };

function depthOf(node: ConditionNode): number {
  return node.type === 'group' ? 1 + Math.max(0, ...node.children.map(depthOf)) : 0;
}

/** Parses a definition or throws BAD_USER_INPUT naming the first problem (e.g. `actions.1.status: …`). */
export function parseRuleDefinition(input: {
  trigger: unknown;
  conditions?: unknown;
  actions: unknown;
}): RuleDefinition {
  const result = ruleDefinitionSchema.safeParse({ ...input, conditions: input.conditions ?? EMPTY_GROUP });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.join('.');
    const field = String(issue.path[0] ?? 'definition');
    throw new DomainError('BAD_USER_INPUT', `${where ? `${where}: ` : ''}${issue.message}`, field);
  }
  if (depthOf(result.data.conditions) > 5) {
    throw new DomainError('BAD_USER_INPUT', 'Condition groups nest at most 5 deep', 'conditions');
  }
  return result.data;
}
