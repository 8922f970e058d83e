// The timeline as data: merging live events without duplicates, applying edits and deletions to the
// comments they target, and turning the event list into what the view draws (messages on either
// side, system pills, date separators, grouping, filtering).
import type { TimelineEventFieldsFragment } from '../../gql/graphql';
import { isLevel, isStatus, levelLabel, statusLabel } from './labels';

export type TimelineEvent = TimelineEventFieldsFragment;

/** Events that change another comment; they update that bubble instead of showing themselves. */
const MODIFIER_KINDS = new Set(['COMMENT_EDITED', 'COMMENT_DELETED', 'COMMENT_RESTORED', 'EMAIL_MOVED']);
/** Events that are something someone wrote. */
const MESSAGE_KINDS = new Set(['TICKET_CREATED', 'EMAIL_IN', 'EMAIL_OUT', 'COMMENT', 'NOTE']);
/** System events a customer has no use for (the server may send them; the portal leaves them out). */
const AGENT_ONLY_KINDS = new Set(['TAGS_CHANGED', 'TEAM_CHANGED', 'PRIORITY_CHANGED', 'WATCHERS_CHANGED']);

/** Ids are decimal sequence numbers, possibly beyond 2^53: compare them as numbers, not strings. */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The id just before `id` (for `timeline(after:)`, which is exclusive), or null for the first. */
export function previousId(id: string): string | null {
  try {
    const previous = BigInt(id) - 1n;
    return previous > 0n ? previous.toString() : null;
  } catch {
    return null;
  }
}

/** `existing` plus `incoming`, ordered by id; an event already present is replaced by its newer copy. */
export function mergeEvents(existing: readonly TimelineEvent[], incoming: readonly TimelineEvent[]): TimelineEvent[] {
  if (incoming.length === 0) return existing as TimelineEvent[];
  const byId = new Map(existing.map((event) => [event.id, event]));
  let changed = false;
  for (const event of incoming) {
    if (byId.get(event.id) !== event) {
      byId.set(event.id, event);
      changed = true;
    }
  }
  if (!changed) return existing as TimelineEvent[];
  return [...byId.values()].sort((a, b) => compareIds(a.id, b.id));
}

export function lastEventId(events: readonly TimelineEvent[]): string | null {
  return events.at(-1)?.id ?? null;
}

export function isModifier(event: TimelineEvent): boolean {
  return MODIFIER_KINDS.has(event.kind);
}

export function isMessage(event: TimelineEvent): boolean {
  if (isBounce(event)) return false;
  return MESSAGE_KINDS.has(event.kind) && (event.kind !== 'TICKET_CREATED' || Boolean(event.body?.trim()));
}

/** A delivery failure report for a mail that went out: an internal system notice, not a message. */
export function isBounce(event: TimelineEvent): boolean {
  return event.kind === 'EMAIL_IN' && record(event.data)['bounce'] === true;
}

/** What an EMAIL_IN entry's `data` says about the mail behind it. */
export interface EmailDetails {
  from: string | null;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  /** The new text without the quoted earlier mail and signature; null when not split. */
  visibleText: string | null;
  hasQuoted: boolean;
  automatic: boolean;
  parseProblems: string[];
}

export function emailDetails(event: TimelineEvent): EmailDetails {
  const data = record(event.data);
  const list = (value: unknown) => (typeof value === 'string' && value.trim() ? [value] : strings(value));
  return {
    from: text(data['from']),
    fromName: text(data['fromName']),
    to: list(data['to']),
    cc: list(data['cc']),
    subject: text(data['subject']),
    visibleText: typeof data['visibleText'] === 'string' ? data['visibleText'] : null,
    hasQuoted: data['hasQuoted'] === true,
    automatic: data['automatic'] === true,
    parseProblems: list(data['parseProblems']),
  };
}

/** Where an email entry went (from the EMAIL_MOVED event that targets it). */
export interface MovedTo {
  ticketId: string;
  number: number | null;
  by: string | null;
}

/** The mail behind an EMAIL_IN/EMAIL_OUT entry. */
export function mailIdOf(event: TimelineEvent): string | null {
  return text(record(event.data)['mailId']);
}

/** Where an email entry came from, when an agent moved it here. */
export function movedFrom(event: TimelineEvent): { ticketId: string; number: number | null } | null {
  const from = record(record(event.data)['movedFrom']);
  const ticketId = text(from['ticketId']);
  return ticketId ? { ticketId, number: typeof from['number'] === 'number' ? from['number'] : null } : null;
}

export interface CommentState {
  movedTo?: MovedTo;
  deleted: boolean;
  /** Who deleted it, from the latest COMMENT_DELETED event. */
  deletedBy: string | null;
  edited: boolean;
}

/**
 * What the edit, delete and restore events say about each comment. The comment's own fields are
 * authoritative once reloaded; these cover the moment between an event and that reload.
 */
export function commentStates(events: readonly TimelineEvent[]): Map<string, CommentState> {
  const states = new Map<string, CommentState>();
  for (const event of events) {
    if (!isModifier(event) || !event.targetId) continue;
    const state = states.get(event.targetId) ?? { deleted: false, deletedBy: null, edited: false };
    if (event.kind === 'COMMENT_EDITED') state.edited = true;
    if (event.kind === 'COMMENT_DELETED') {
      state.deleted = true;
      state.deletedBy = event.actor?.name ?? null;
    }
    if (event.kind === 'COMMENT_RESTORED') state.deleted = false;
    if (event.kind === 'EMAIL_MOVED') {
      const data = record(event.data);
      const ticketId = text(data['toTicketId']);
      if (ticketId) {
        const number = typeof data['toNumber'] === 'number' ? data['toNumber'] : null;
        state.movedTo = { ticketId, number, by: event.actor?.name ?? null };
      }
    }
    states.set(event.targetId, state);
  }
  return states;
}

export type TimelineFilter = 'all' | 'messages' | 'notes' | 'system';

export const TIMELINE_FILTERS: ReadonlyArray<{ value: TimelineFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'messages', label: 'Messages' },
  { value: 'notes', label: 'Internal notes' },
  { value: 'system', label: 'System events' },
];

function category(event: TimelineEvent): Exclude<TimelineFilter, 'all'> {
  if (event.kind === 'NOTE') return 'notes';
  return isMessage(event) ? 'messages' : 'system';
}

/** Whose eyes the timeline is drawn for: agents see customers left; customers see themselves right. */
export type Perspective = { kind: 'agent' } | { kind: 'customer'; viewerId: string };

export interface Person {
  id: string | null;
  name: string;
}

export type MessageTone = 'customer' | 'reply' | 'note';

export interface MessageItem {
  type: 'message';
  key: string;
  event: TimelineEvent;
  side: 'left' | 'right';
  tone: MessageTone;
  author: Person;
  /** For a ticket logged by an agent on the customer's behalf: who logged it. */
  loggedBy: string | null;
  /** Continues the previous message's group (same sender, shortly after): no name or avatar again. */
  continued: boolean;
  deleted: boolean;
  deletedBy: string | null;
  edited: boolean;
  /** An email an agent moved to another ticket. */
  movedTo: MovedTo | null;
}

export interface SystemItem {
  type: 'system';
  key: string;
  event: TimelineEvent;
}

export interface DayItem {
  type: 'day';
  key: string;
  date: Date;
}

export type TimelineItem = MessageItem | SystemItem | DayItem;

export interface BuildOptions {
  filter: TimelineFilter;
  perspective: Perspective;
  requester: Person | null;
}

const GROUP_WINDOW_MS = 10 * 60_000;

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function messageShape(
  event: TimelineEvent,
  options: BuildOptions,
): Pick<MessageItem, 'side' | 'tone' | 'author' | 'loggedBy'> {
  const actor: Person | null = event.actor ? { id: event.actor.id, name: event.actor.name } : null;
  const rule = automationRuleName(event);
  let author: Person = actor ??
    (rule ? { id: null, name: `Automation: ${rule}` } : null) ??
    options.requester ?? { id: null, name: 'Customer' };
  let loggedBy: string | null = null;
  let fromCustomer: boolean;
  if (event.kind === 'TICKET_CREATED') {
    fromCustomer = true;
    if (options.requester) author = options.requester;
    if (actor && options.requester && actor.id !== options.requester.id) loggedBy = actor.name;
  } else if (event.kind === 'EMAIL_IN') {
    fromCustomer = true;
  } else if (event.kind === 'EMAIL_OUT' || event.kind === 'NOTE') {
    fromCustomer = false;
  } else {
    fromCustomer = event.actor ? event.actor.role === 'CUSTOMER' : true;
  }
  const tone: MessageTone = event.kind === 'NOTE' ? 'note' : fromCustomer ? 'customer' : 'reply';
  let side: 'left' | 'right';
  if (options.perspective.kind === 'agent') side = fromCustomer ? 'left' : 'right';
  else side = author.id === options.perspective.viewerId ? 'right' : 'left';
  return { side, tone, author, loggedBy };
}

/** The events as the view draws them, after the filter, with day separators and grouping. */
export function buildTimeline(events: readonly TimelineEvent[], options: BuildOptions): TimelineItem[] {
  const states = commentStates(events);
  const items: TimelineItem[] = [];
  let previousDate: Date | null = null;
  let previousMessage: MessageItem | null = null;
  for (const event of events) {
    if (isModifier(event)) continue;
    if (options.perspective.kind === 'customer' && (event.internal || AGENT_ONLY_KINDS.has(event.kind))) continue;
    if (options.filter !== 'all' && category(event) !== options.filter) continue;
    if (options.perspective.kind === 'customer' && !isMessage(event) && !describeSystemEvent(event, 'customer'))
      continue;
    const date = new Date(event.createdAt);
    if (!previousDate || !sameDay(previousDate, date)) {
      items.push({ type: 'day', key: `day-${event.id}`, date });
      previousMessage = null;
    }
    previousDate = date;
    if (!isMessage(event)) {
      items.push({ type: 'system', key: event.id, event });
      previousMessage = null;
      continue;
    }
    const shape = messageShape(event, options);
    const state = states.get(event.id);
    const continued =
      previousMessage !== null &&
      previousMessage.tone === shape.tone &&
      previousMessage.author.id === shape.author.id &&
      previousMessage.author.name === shape.author.name &&
      date.getTime() - new Date(previousMessage.event.createdAt).getTime() < GROUP_WINDOW_MS;
    const item: MessageItem = {
      type: 'message',
      key: event.id,
      event,
      ...shape,
      continued,
      deleted: Boolean(event.deletedAt) || (state?.deleted ?? false),
      deletedBy: state?.deletedBy ?? null,
      edited: Boolean(event.editedAt) || (state?.edited ?? false),
      movedTo: state?.movedTo ?? null,
    };
    items.push(item);
    previousMessage = item;
  }
  return items;
}

/** How many entries each filter chip would show. */
export function countByFilter(
  events: readonly TimelineEvent[],
  perspective: Perspective,
): Record<TimelineFilter, number> {
  const counts: Record<TimelineFilter, number> = { all: 0, messages: 0, notes: 0, system: 0 };
  for (const event of events) {
    if (isModifier(event)) continue;
    if (perspective.kind === 'customer' && (event.internal || AGENT_ONLY_KINDS.has(event.kind))) continue;
    if (perspective.kind === 'customer' && !isMessage(event) && !describeSystemEvent(event, 'customer')) continue;
    counts.all++;
    counts[category(event)]++;
  }
  return counts;
}

/** Part of a system event's sentence: plain text or an emphasised name/value. */
export type Phrase = string | { strong: string };

export type SystemIcon =
  'created' | 'status' | 'assign' | 'team' | 'urgency' | 'importance' | 'tags' | 'title' | 'sla' | 'mail' | 'other';

export interface SystemDescription {
  icon: SystemIcon;
  tone: 'neutral' | 'warning' | 'danger' | 'success';
  phrases: Phrase[];
}

/** The rule that made a change (automation), from the event's data; agents only receive it. */
export function automationRuleName(event: Pick<TimelineEvent, 'data'>): string | null {
  const mark = record(record(event.data).automation);
  return typeof mark.ruleName === 'string' ? mark.ruleName : null;
}

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function humanise(kind: string): string {
  const words = kind.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A system event as a short sentence, e.g. "Sam Agent changed the status from Open to Pending
 * customer"; null when the event says nothing to this audience.
 */
export function describeSystemEvent(
  event: TimelineEvent,
  audience: 'agent' | 'customer' = 'agent',
  nameOf: (userId: string) => string | undefined = () => undefined,
): SystemDescription | null {
  const data = record(event.data);
  const rule = automationRuleName(event);
  const who: Phrase = event.actor
    ? { strong: event.actor.name }
    : rule
      ? { strong: `Automation: ${rule}` }
      : 'Switchboard';
  switch (event.kind) {
    case 'EMAIL_IN':
      if (!isBounce(event)) return null;
      return {
        icon: 'mail',
        tone: 'danger',
        phrases: [{ strong: 'Mail not delivered: ' }, text(event.body) ?? 'a mail to the customer bounced'],
      };
    case 'TICKET_CREATED':
      return { icon: 'created', tone: 'neutral', phrases: [who, ' opened this ticket'] };
    case 'STATUS_CHANGED': {
      // A change a customer cannot see in their words ("In progress" to "In progress") says nothing.
      if (
        audience === 'customer' &&
        isStatus(data['from']) &&
        isStatus(data['to']) &&
        statusLabel(data['from'], 'customer') === statusLabel(data['to'], 'customer')
      )
        return null;
      const from = isStatus(data['from']) ? statusLabel(data['from'], audience) : null;
      const to = isStatus(data['to']) ? statusLabel(data['to'], audience) : 'another status';
      const tone = data['to'] === 'RESOLVED' || data['to'] === 'CLOSED' ? 'success' : 'neutral';
      if (audience === 'customer') return { icon: 'status', tone, phrases: ['Your request is now ', { strong: to }] };
      return {
        icon: 'status',
        tone,
        phrases: from
          ? [who, ' changed the status from ', { strong: from }, ' to ', { strong: to }]
          : [who, ' set the status to ', { strong: to }],
      };
    }
    case 'ASSIGNED': {
      const toId = text(data['to']);
      const toName = text(data['toName']) ?? (toId ? nameOf(toId) : undefined) ?? null;
      const auto = text(data['auto']);
      if (!toId) {
        if (audience === 'customer') return null;
        return { icon: 'assign', tone: 'neutral', phrases: [who, ' unassigned the ticket'] };
      }
      const target: Phrase = { strong: toName ?? 'an agent' };
      if (auto) {
        const how = auto === 'ROUND_ROBIN' ? ' (round robin)' : auto === 'LEAST_LOADED' ? ' (least loaded)' : '';
        return { icon: 'assign', tone: 'neutral', phrases: ['Automatically assigned to ', target, how] };
      }
      if (audience === 'customer')
        return { icon: 'assign', tone: 'neutral', phrases: [target, ' is handling your request'] };
      if (event.actor && event.actor.id === toId)
        return { icon: 'assign', tone: 'neutral', phrases: [who, ' took the ticket'] };
      return { icon: 'assign', tone: 'neutral', phrases: [who, ' assigned the ticket to ', target] };
    }
    case 'TEAM_CHANGED': {
      const toName = text(data['toName']);
      return toName
        ? { icon: 'team', tone: 'neutral', phrases: [who, ' moved the ticket to team ', { strong: toName }] }
        : { icon: 'team', tone: 'neutral', phrases: [who, ' removed the team'] };
    }
    case 'PRIORITY_CHANGED': {
      const field = data['field'] === 'importance' ? 'importance' : 'urgency';
      const from = isLevel(data['from']) ? levelLabel(data['from']) : null;
      const to = isLevel(data['to']) ? levelLabel(data['to']) : '?';
      const critical = data['to'] === 'CRITICAL';
      return {
        icon: field,
        tone: critical ? 'danger' : 'neutral',
        phrases: from
          ? [who, ` changed ${field} from `, { strong: from }, ' to ', { strong: to }]
          : [who, ` set ${field} to `, { strong: to }],
      };
    }
    case 'TAGS_CHANGED': {
      const added = strings(data['added']);
      const removed = strings(data['removed']);
      const phrases: Phrase[] = [who];
      if (added.length) phrases.push(' added ', { strong: added.map((t) => `#${t}`).join(' ') });
      if (added.length && removed.length) phrases.push(' and');
      if (removed.length) phrases.push(' removed ', { strong: removed.map((t) => `#${t}`).join(' ') });
      if (!added.length && !removed.length) phrases.push(' changed the tags');
      return { icon: 'tags', tone: 'neutral', phrases };
    }
    case 'TITLE_CHANGED': {
      const to = text(data['to']);
      return {
        icon: 'title',
        tone: 'neutral',
        phrases: to ? [who, ' renamed the ticket to ', { strong: `“${to}”` }] : [who, ' renamed the ticket'],
      };
    }
    case 'SLA_WARNING':
    case 'SLA_BREACHED': {
      const breached = event.kind === 'SLA_BREACHED';
      const target = text(data['target']) ?? text(data['metric']);
      const what = target ? humanise(target.replace(/([a-z])([A-Z])/g, '$1_$2')).toLowerCase() : null;
      return {
        icon: 'sla',
        tone: breached ? 'danger' : 'warning',
        phrases: breached
          ? ['SLA breached', ...(what ? [': ', { strong: what }, ' target missed'] : [])]
          : ['SLA warning', ...(what ? [': ', { strong: what }, ' due soon'] : [])],
      };
    }
    default:
      return {
        icon: 'other',
        tone: 'neutral',
        phrases: event.actor ? [who, ' · ', humanise(event.kind)] : [humanise(event.kind)],
      };
  }
}
