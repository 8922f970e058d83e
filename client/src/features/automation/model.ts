// The rule builder's model: the same shapes the server validates (server/src/modules/automation/
// automation.definition.ts), read from the API's JSON with guards instead of casts.

export type TriggerType =
  | 'TICKET_CREATED'
  | 'TICKET_UPDATED'
  | 'STATUS_CHANGED'
  | 'PRIORITY_CHANGED'
  | 'ASSIGNMENT_CHANGED'
  | 'COMMENT_ADDED'
  | 'EMAIL_RECEIVED'
  | 'SLA_WARNING'
  | 'SLA_BREACHED'
  | 'UNASSIGNED_FOR'
  | 'PENDING_FOR'
  | 'RESOLVED_FOR';

export interface Trigger {
  type: TriggerType;
  minutes?: number;
  visibility?: 'ANY' | 'PUBLIC' | 'INTERNAL';
}

export const TRIGGERS: Array<{ type: TriggerType; label: string; timed?: boolean }> = [
  { type: 'TICKET_CREATED', label: 'Ticket created' },
  { type: 'TICKET_UPDATED', label: 'Ticket updated' },
  { type: 'STATUS_CHANGED', label: 'Status changed' },
  { type: 'PRIORITY_CHANGED', label: 'Urgency or importance changed' },
  { type: 'ASSIGNMENT_CHANGED', label: 'Assignee or team changed' },
  { type: 'COMMENT_ADDED', label: 'Comment added' },
  { type: 'EMAIL_RECEIVED', label: 'Email received' },
  { type: 'SLA_WARNING', label: 'SLA warning' },
  { type: 'SLA_BREACHED', label: 'SLA breached' },
  { type: 'UNASSIGNED_FOR', label: 'Unassigned for…', timed: true },
  { type: 'PENDING_FOR', label: 'Pending (customer) for…', timed: true },
  { type: 'RESOLVED_FOR', label: 'Resolved for…', timed: true },
];

export const isTimed = (type: TriggerType) => TRIGGERS.some((t) => t.type === type && t.timed);

export type Field =
  | 'STATUS'
  | 'URGENCY'
  | 'IMPORTANCE'
  | 'ASSIGNEE'
  | 'TEAM'
  | 'TAGS'
  | 'TITLE'
  | 'DESCRIPTION'
  | 'TEXT'
  | 'REQUESTER_EMAIL'
  | 'REQUESTER_DOMAIN'
  | 'COMPANY'
  | 'SOURCE_ADDRESS'
  | 'CHANNEL'
  | 'ISSUE_TYPE';

export type Operator =
  | 'IS'
  | 'IS_NOT'
  | 'IN'
  | 'NOT_IN'
  | 'CONTAINS'
  | 'NOT_CONTAINS'
  | 'ENDS_WITH'
  | 'AT_LEAST'
  | 'AT_MOST'
  | 'IS_EMPTY'
  | 'IS_NOT_EMPTY';

export interface ConditionLeaf {
  key: string;
  type: 'condition';
  field: Field;
  operator: Operator;
  value: string | string[] | null;
}
export interface ConditionGroup {
  key: string;
  type: 'group';
  op: 'AND' | 'OR';
  children: ConditionNode[];
}
export type ConditionNode = ConditionLeaf | ConditionGroup;

const CHOICE: Operator[] = ['IS', 'IS_NOT', 'IN', 'NOT_IN'];
const REFERENCE: Operator[] = [...CHOICE, 'IS_EMPTY', 'IS_NOT_EMPTY'];
const TEXT: Operator[] = ['CONTAINS', 'NOT_CONTAINS'];

export const FIELDS: Array<{ field: Field; label: string; operators: Operator[] }> = [
  { field: 'STATUS', label: 'Status', operators: CHOICE },
  { field: 'URGENCY', label: 'Urgency', operators: [...CHOICE, 'AT_LEAST', 'AT_MOST'] },
  { field: 'IMPORTANCE', label: 'Importance', operators: [...CHOICE, 'AT_LEAST', 'AT_MOST'] },
  { field: 'ASSIGNEE', label: 'Assignee', operators: REFERENCE },
  { field: 'TEAM', label: 'Team', operators: REFERENCE },
  { field: 'TAGS', label: 'Tags', operators: ['CONTAINS', 'NOT_CONTAINS', 'IS_EMPTY', 'IS_NOT_EMPTY'] },
  { field: 'TITLE', label: 'Title', operators: TEXT },
  { field: 'DESCRIPTION', label: 'Description', operators: TEXT },
  { field: 'TEXT', label: 'Title or description', operators: TEXT },
  {
    field: 'REQUESTER_EMAIL',
    label: 'Requester email',
    operators: ['IS', 'IS_NOT', 'CONTAINS', 'ENDS_WITH', 'IS_EMPTY', 'IS_NOT_EMPTY'],
  },
  { field: 'REQUESTER_DOMAIN', label: 'Requester domain', operators: CHOICE },
  { field: 'SOURCE_ADDRESS', label: 'Support address', operators: REFERENCE },
  { field: 'CHANNEL', label: 'Channel', operators: CHOICE },
  { field: 'ISSUE_TYPE', label: 'Issue type', operators: CHOICE },
];

export const OPERATOR_LABELS: Record<Operator, string> = {
  IS: 'is',
  IS_NOT: 'is not',
  IN: 'is one of',
  NOT_IN: 'is none of',
  CONTAINS: 'contains',
  NOT_CONTAINS: 'does not contain',
  ENDS_WITH: 'ends with',
  AT_LEAST: 'is at least',
  AT_MOST: 'is at most',
  IS_EMPTY: 'is empty',
  IS_NOT_EMPTY: 'is set',
};

export const STATUSES = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['PENDING_CUSTOMER', 'Pending (customer)'],
  ['PENDING_THIRD_PARTY', 'Pending (third party)'],
  ['ON_HOLD', 'On hold'],
  ['RESOLVED', 'Resolved'],
  ['CLOSED', 'Closed'],
] as const;
export const LEVELS = [
  ['CRITICAL', 'Critical'],
  ['HIGH', 'High'],
  ['MEDIUM', 'Medium'],
  ['LOW', 'Low'],
] as const;
export const CHANNELS = [
  ['EMAIL', 'Email'],
  ['PORTAL', 'Customer portal'],
  ['AGENT', 'Created by an agent'],
  ['CHAT', 'Chat'],
] as const;

export type Action =
  | { key: string; id?: string; type: 'ASSIGN_USER'; userId: string }
  | { key: string; id?: string; type: 'ASSIGN_TEAM'; teamId: string; reassign?: boolean }
  | { key: string; id?: string; type: 'SET_STATUS'; status: string }
  | { key: string; id?: string; type: 'SET_URGENCY' | 'SET_IMPORTANCE'; level: string }
  | { key: string; id?: string; type: 'ADD_TAG' | 'REMOVE_TAG'; tag: string }
  | { key: string; id?: string; type: 'ADD_NOTE'; body: string }
  | {
      key: string;
      id?: string;
      type: 'NOTIFY';
      userIds: string[];
      roles: string[];
      assignee: boolean;
      message?: string;
    }
  | { key: string; id?: string; type: 'SEND_MAIL'; template: string }
  | {
      key: string;
      id?: string;
      type: 'WEBHOOK';
      url: string;
      secret?: string;
      hasSecret?: boolean;
      timeoutMs?: number;
    };
export type ActionType = Action['type'];

export const ACTIONS: Array<{ type: ActionType; label: string }> = [
  { type: 'ASSIGN_USER', label: 'Assign to an agent' },
  { type: 'ASSIGN_TEAM', label: 'Assign to a team' },
  { type: 'SET_STATUS', label: 'Set status' },
  { type: 'SET_URGENCY', label: 'Set urgency' },
  { type: 'SET_IMPORTANCE', label: 'Set importance' },
  { type: 'ADD_TAG', label: 'Add tag' },
  { type: 'REMOVE_TAG', label: 'Remove tag' },
  { type: 'ADD_NOTE', label: 'Add internal note' },
  { type: 'NOTIFY', label: 'Notify people' },
  { type: 'SEND_MAIL', label: 'Mail the requester' },
  { type: 'WEBHOOK', label: 'Call a webhook' },
];

export const MAIL_TEMPLATES = [
  ['TICKET_CREATED', 'Ticket created'],
  ['TICKET_ASSIGNED', 'Ticket assigned'],
  ['TICKET_UPDATED', 'Ticket updated'],
  ['TICKET_RESOLVED', 'Ticket resolved'],
  ['TICKET_CLOSED', 'Ticket closed'],
  ['COMMENT_ADDED', 'Reply added'],
] as const;

let counter = 0;
/** A key for React lists (not sent to the server). */
export const newKey = () => `k${(counter += 1)}`;

export function newAction(type: ActionType): Action {
  const key = newKey();
  switch (type) {
    case 'ASSIGN_USER':
      return { key, type, userId: '' };
    case 'ASSIGN_TEAM':
      return { key, type, teamId: '' };
    case 'SET_STATUS':
      return { key, type, status: 'CLOSED' };
    case 'SET_URGENCY':
    case 'SET_IMPORTANCE':
      return { key, type, level: 'HIGH' };
    case 'ADD_TAG':
    case 'REMOVE_TAG':
      return { key, type, tag: '' };
    case 'ADD_NOTE':
      return { key, type, body: '' };
    case 'NOTIFY':
      return { key, type, userIds: [], roles: [], assignee: true };
    case 'SEND_MAIL':
      return { key, type, template: 'TICKET_UPDATED' };
    case 'WEBHOOK':
      return { key, type, url: 'https://', secret: '' };
  }
}

export function newCondition(): ConditionLeaf {
  return { key: newKey(), type: 'condition', field: 'URGENCY', operator: 'IS', value: 'CRITICAL' };
}

export function newGroup(op: 'AND' | 'OR' = 'AND', children: ConditionNode[] = []): ConditionGroup {
  return { key: newKey(), type: 'group', op, children };
}

// Reading the API's JSON ------------------------------------------------------------------------

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const str = (value: unknown, fallback = '') => (typeof value === 'string' ? value : fallback);
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);

export function readTrigger(value: unknown): Trigger {
  const json = isObject(value) ? value : {};
  const type = TRIGGERS.find((t) => t.type === json.type)?.type ?? 'TICKET_CREATED';
  const visibility = json.visibility === 'PUBLIC' || json.visibility === 'INTERNAL' ? json.visibility : 'ANY';
  return {
    type,
    ...(typeof json.minutes === 'number' ? { minutes: json.minutes } : {}),
    ...(type === 'COMMENT_ADDED' ? { visibility } : {}),
  };
}

export function readConditions(value: unknown): ConditionGroup {
  const node = readNode(value);
  return node?.type === 'group' ? node : newGroup('AND', node ? [node] : []);
}

function readNode(value: unknown): ConditionNode | null {
  if (!isObject(value)) return null;
  if (value.type === 'group') {
    const children = Array.isArray(value.children) ? value.children.map(readNode) : [];
    return newGroup(
      value.op === 'OR' ? 'OR' : 'AND',
      children.filter((c): c is ConditionNode => c !== null),
    );
  }
  const field = FIELDS.find((f) => f.field === value.field);
  const operator = field?.operators.find((o) => o === value.operator);
  if (!field || !operator) return null;
  const raw = value.value;
  return {
    key: newKey(),
    type: 'condition',
    field: field.field,
    operator,
    value: Array.isArray(raw) ? strings(raw) : typeof raw === 'string' ? raw : null,
  };
}

export function readActions(value: unknown): Action[] {
  const list = Array.isArray(value) ? value : [];
  return list.filter(isObject).flatMap((json): Action[] => {
    const key = newKey();
    const id = typeof json.id === 'string' ? json.id : undefined;
    switch (json.type) {
      case 'ASSIGN_USER':
        return [{ key, id, type: 'ASSIGN_USER', userId: str(json.userId) }];
      case 'ASSIGN_TEAM':
        return [{ key, id, type: 'ASSIGN_TEAM', teamId: str(json.teamId), reassign: json.reassign === true }];
      case 'SET_STATUS':
        return [{ key, id, type: 'SET_STATUS', status: str(json.status, 'CLOSED') }];
      case 'SET_URGENCY':
      case 'SET_IMPORTANCE':
        return [{ key, id, type: json.type, level: str(json.level, 'HIGH') }];
      case 'ADD_TAG':
      case 'REMOVE_TAG':
        return [{ key, id, type: json.type, tag: str(json.tag) }];
      case 'ADD_NOTE':
        return [{ key, id, type: 'ADD_NOTE', body: str(json.body) }];
      case 'NOTIFY':
        return [
          {
            key,
            id,
            type: 'NOTIFY',
            userIds: strings(json.userIds),
            roles: strings(json.roles),
            assignee: json.assignee === true,
            message: str(json.message) || undefined,
          },
        ];
      case 'SEND_MAIL':
        return [{ key, id, type: 'SEND_MAIL', template: str(json.template, 'TICKET_UPDATED') }];
      case 'WEBHOOK':
        return [
          {
            key,
            id,
            type: 'WEBHOOK',
            url: str(json.url),
            hasSecret: json.hasSecret === true,
            ...(typeof json.timeoutMs === 'number' ? { timeoutMs: json.timeoutMs } : {}),
          },
        ];
      default:
        return [];
    }
  });
}

// Writing the API's input ------------------------------------------------------------------------

export function writeNode(node: ConditionNode): Json {
  if (node.type === 'group') return { type: 'group', op: node.op, children: node.children.map(writeNode) };
  const empty = node.operator === 'IS_EMPTY' || node.operator === 'IS_NOT_EMPTY';
  return { type: 'condition', field: node.field, operator: node.operator, value: empty ? null : node.value };
}

export function writeActions(actions: Action[]): Json[] {
  return actions.map(({ key: _key, ...action }) => {
    if (action.type !== 'WEBHOOK') return { ...action };
    const { hasSecret: _hasSecret, secret, ...rest } = action;
    return secret ? { ...rest, secret } : rest;
  });
}

export function writeTrigger(trigger: Trigger): Json {
  if (isTimed(trigger.type)) return { type: trigger.type, minutes: trigger.minutes ?? 60 };
  if (trigger.type === 'COMMENT_ADDED') return { type: trigger.type, visibility: trigger.visibility ?? 'ANY' };
  return { type: trigger.type };
}

/** "2 h", "3 days", "90 min": for the rule list. */
export function durationLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} ${minutes === 1440 ? 'day' : 'days'}`;
  if (minutes % 60 === 0) return `${minutes / 60} h`;
  return `${minutes} min`;
}

export function triggerLabel(trigger: Trigger): string {
  const base = TRIGGERS.find((t) => t.type === trigger.type)?.label ?? trigger.type;
  if (isTimed(trigger.type)) return `${base.replace('…', '')} ${durationLabel(trigger.minutes ?? 60)}`;
  if (trigger.type === 'COMMENT_ADDED' && trigger.visibility && trigger.visibility !== 'ANY') {
    return `${base} (${trigger.visibility === 'PUBLIC' ? 'public replies' : 'internal notes'})`;
  }
  return base;
}

export function countConditions(node: ConditionNode): number {
  return node.type === 'group' ? node.children.reduce((sum, child) => sum + countConditions(child), 0) : 1;
}
