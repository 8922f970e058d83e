// Evaluates a rule's condition tree against what is known about a ticket right now.
import { LEVEL_RANK, type Level } from '../tickets/ticket.enums.js';
import type { ConditionField, ConditionLeaf, ConditionNode } from './automation.definition.js';

/** A ticket as rules see it: plain values, loaded once per evaluation (automation.facts.ts). */
export interface TicketFacts {
  status: string;
  urgency: Level;
  importance: Level;
  assigneeId: string | null;
  teamId: string | null;
  tags: string[];
  title: string;
  description: string;
  requesterEmail: string | null;
  companyId: string | null;
  sourceAddressId: string | null;
  channel: string;
  issueType: string;
}

export interface LeafOutcome {
  condition: ConditionLeaf;
  matched: boolean;
}

function single(value: ConditionLeaf['value']): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function list(value: ConditionLeaf['value']): string[] {
  return Array.isArray(value) ? value : value ? [value] : [];
}

function domainOf(email: string | null): string | null {
  const at = email?.lastIndexOf('@') ?? -1;
  return email && at >= 0 ? email.slice(at + 1).toLowerCase() : null;
}

/** The value of a field; text and choice fields compare case-insensitively. */
function valueOf(facts: TicketFacts, field: ConditionField): string | string[] | null {
  switch (field) {
    case 'STATUS':
      return facts.status;
    case 'URGENCY':
      return facts.urgency;
    case 'IMPORTANCE':
      return facts.importance;
    case 'ASSIGNEE':
      return facts.assigneeId;
    case 'TEAM':
      return facts.teamId;
    case 'TAGS':
      return facts.tags;
    case 'TITLE':
      return facts.title;
    case 'DESCRIPTION':
      return facts.description;
    case 'TEXT':
      return `${facts.title}\n${facts.description}`;
    case 'REQUESTER_EMAIL':
      return facts.requesterEmail;
    case 'REQUESTER_DOMAIN':
      return domainOf(facts.requesterEmail);
    case 'COMPANY':
      return facts.companyId;
    case 'SOURCE_ADDRESS':
      return facts.sourceAddressId;
    case 'CHANNEL':
      return facts.channel;
    case 'ISSUE_TYPE':
      return facts.issueType;
  }
}

const fold = (s: string) => s.trim().toLowerCase();

export function evaluateLeaf(leaf: ConditionLeaf, facts: TicketFacts): boolean {
  const actual = valueOf(facts, leaf.field);
  if (leaf.field === 'TAGS') {
    const tags = (actual as string[]).map(fold);
    if (leaf.operator === 'IS_EMPTY') return tags.length === 0;
    if (leaf.operator === 'IS_NOT_EMPTY') return tags.length > 0;
    const wanted = list(leaf.value).map((t) => fold(t).replace(/\s+/g, '-'));
    const has = wanted.some((t) => tags.includes(t));
    return leaf.operator === 'NOT_CONTAINS' ? !has : has;
  }
  const text = typeof actual === 'string' ? fold(actual) : null;
  switch (leaf.operator) {
    case 'IS_EMPTY':
      return !text;
    case 'IS_NOT_EMPTY':
      return Boolean(text);
    case 'IS':
      return text !== null && text === fold(single(leaf.value));
    case 'IS_NOT':
      return text === null || text !== fold(single(leaf.value));
    case 'IN':
      return text !== null && list(leaf.value).map(fold).includes(text);
    case 'NOT_IN':
      return text === null || !list(leaf.value).map(fold).includes(text);
    case 'CONTAINS':
      return text !== null && text.includes(fold(single(leaf.value)));
    case 'NOT_CONTAINS':
      return text === null || !text.includes(fold(single(leaf.value)));
    case 'ENDS_WITH':
      return text !== null && text.endsWith(fold(single(leaf.value)));
    case 'AT_LEAST':
    case 'AT_MOST': {
      // CRITICAL has rank 0: "at least HIGH" means HIGH or CRITICAL.
      const rank = LEVEL_RANK[actual as Level];
      const bound = LEVEL_RANK[single(leaf.value) as Level];
      return leaf.operator === 'AT_LEAST' ? rank <= bound : rank >= bound;
    }
  }
}

/** An empty group matches (a rule without conditions runs on every trigger). */
export function evaluate(node: ConditionNode, facts: TicketFacts, outcomes?: LeafOutcome[]): boolean {
  if (node.type === 'condition') {
    const matched = evaluateLeaf(node, facts);
    outcomes?.push({ condition: node, matched });
    return matched;
  }
  // Every leaf is evaluated (no short-circuit) when outcomes are collected, so a dry run explains all.
  const results = node.children.map((child) => evaluate(child, facts, outcomes));
  if (results.length === 0) return true;
  return node.op === 'AND' ? results.every(Boolean) : results.some(Boolean);
}
