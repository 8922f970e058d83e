import { describe, expect, it } from 'vitest';
import { Level } from '../tickets/ticket.enums.js';
import { evaluate, evaluateLeaf, type TicketFacts } from './automation.conditions.js';
import { parseRuleDefinition, type ConditionLeaf, type ConditionNode } from './automation.definition.js';
import { DomainError } from '../../graphql/errors.js';

const AGENT = '11111111-1111-4111-8111-111111111111';
const TEAM = '22222222-2222-4222-8222-222222222222';

const facts: TicketFacts = {
  status: 'OPEN',
  urgency: Level.HIGH,
  importance: Level.CRITICAL,
  assigneeId: AGENT,
  teamId: null,
  tags: ['vip', 'billing'],
  title: 'Payment gateway failing',
  description: 'Checkout returns HTTP 502 since 09:00',
  requesterEmail: 'pat@acme.test',
  companyId: null,
  sourceAddressId: null,
  channel: 'EMAIL',
  issueType: 'Incident',
};

const leaf = (field: ConditionLeaf['field'], operator: ConditionLeaf['operator'], value?: string | string[]) =>
  ({ type: 'condition', field, operator, value }) as ConditionLeaf;

describe('condition operators', () => {
  it.each([
    ['STATUS', 'IS', 'open', true],
    ['STATUS', 'IS', 'NEW', false],
    ['STATUS', 'IS_NOT', 'NEW', true],
    ['STATUS', 'IN', ['NEW', 'OPEN'], true],
    ['STATUS', 'NOT_IN', ['NEW', 'OPEN'], false],
    ['URGENCY', 'AT_LEAST', 'HIGH', true],
    ['URGENCY', 'AT_LEAST', 'CRITICAL', false],
    ['URGENCY', 'AT_MOST', 'MEDIUM', false],
    ['IMPORTANCE', 'AT_MOST', 'CRITICAL', true],
    ['IMPORTANCE', 'IS', 'CRITICAL', true],
    ['ASSIGNEE', 'IS', AGENT, true],
    ['ASSIGNEE', 'IS_EMPTY', undefined, false],
    ['TEAM', 'IS_EMPTY', undefined, true],
    ['TEAM', 'IS_NOT', TEAM, true],
    ['TEAM', 'IS', TEAM, false],
    ['TAGS', 'CONTAINS', 'VIP', true],
    ['TAGS', 'CONTAINS', 'legal', false],
    ['TAGS', 'NOT_CONTAINS', 'legal', true],
    ['TAGS', 'IS_NOT_EMPTY', undefined, true],
    ['TITLE', 'CONTAINS', 'GATEWAY', true],
    ['TITLE', 'NOT_CONTAINS', '502', true],
    ['DESCRIPTION', 'CONTAINS', '502', true],
    ['TEXT', 'CONTAINS', 'payment', true],
    ['TEXT', 'CONTAINS', 'refund', false],
    ['REQUESTER_EMAIL', 'IS', 'PAT@acme.test', true],
    ['REQUESTER_EMAIL', 'ENDS_WITH', '@acme.test', true],
    ['REQUESTER_EMAIL', 'CONTAINS', 'globex', false],
    ['REQUESTER_DOMAIN', 'IS', 'acme.test', true],
    ['REQUESTER_DOMAIN', 'NOT_IN', ['acme.test', 'globex.test'], false],
    ['COMPANY', 'IS_EMPTY', undefined, true],
    ['SOURCE_ADDRESS', 'IS_NOT_EMPTY', undefined, false],
    ['CHANNEL', 'IS', 'EMAIL', true],
    ['CHANNEL', 'IN', ['PORTAL', 'CHAT'], false],
    ['ISSUE_TYPE', 'IS', 'incident', true],
  ] as const)('%s %s %j → %s', (field, operator, value, expected) => {
    const values: string | string[] | undefined = typeof value === 'object' ? [...(value as readonly string[])] : value;
    expect(evaluateLeaf(leaf(field, operator, values), facts)).toBe(expected);
  });
});

describe('and/or groups', () => {
  const critical = leaf('IMPORTANCE', 'IS', 'CRITICAL');
  const low = leaf('URGENCY', 'IS', 'LOW');
  const group = (op: 'AND' | 'OR', ...children: ConditionNode[]): ConditionNode => ({ type: 'group', op, children });

  it('AND needs every child, OR any child, and groups nest', () => {
    expect(evaluate(group('AND', critical, low), facts)).toBe(false);
    expect(evaluate(group('OR', critical, low), facts)).toBe(true);
    expect(evaluate(group('AND', critical, group('OR', low, leaf('TAGS', 'CONTAINS', 'vip'))), facts)).toBe(true);
    expect(evaluate(group('OR', low, group('AND', low, critical)), facts)).toBe(false);
  });

  it('an empty group always matches (a rule without conditions)', () => {
    expect(evaluate(group('AND'), facts)).toBe(true);
    expect(evaluate(group('OR'), facts)).toBe(true);
  });
});

describe('rule definitions', () => {
  const valid = { trigger: { type: 'TICKET_CREATED' }, actions: [{ type: 'ADD_TAG', tag: 'x' }] };
  const problem = (input: Record<string, unknown>) => {
    try {
      parseRuleDefinition({ ...valid, ...input });
      return null;
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('BAD_USER_INPUT');
      return (error as DomainError).message;
    }
  };

  it('accepts a valid rule and defaults to no conditions', () => {
    expect(parseRuleDefinition(valid).conditions).toEqual({ type: 'group', op: 'AND', children: [] });
  });

  it('names what is wrong', () => {
    expect(problem({ trigger: { type: 'UNASSIGNED_FOR' } })).toMatch(/minutes.*needs a duration/);
    expect(problem({ trigger: { type: 'WHENEVER' } })).toMatch(/^trigger\.type/);
    expect(problem({ actions: [] })).toMatch(/at least one action/);
    expect(problem({ actions: [{ type: 'SET_STATUS', status: 'DONE' }] })).toMatch(/^actions\.0\.status/);
    expect(problem({ actions: [{ type: 'NOTIFY' }] })).toMatch(/needs someone to notify/);
    expect(problem({ actions: [{ type: 'WEBHOOK', url: 'ftp://x.test' }] })).toMatch(/http\(s\)/);
    expect(problem({ conditions: leaf('STATUS', 'CONTAINS', 'OPEN') })).toMatch(
      /STATUS cannot be compared with CONTAINS/,
    );
    expect(problem({ conditions: leaf('STATUS', 'IS', 'DONE') })).toMatch(/DONE is not a STATUS/);
    expect(problem({ conditions: leaf('ASSIGNEE', 'IS', 'me') })).toMatch(/ASSIGNEE needs an id/);
    expect(problem({ conditions: leaf('STATUS', 'IN', []) })).toMatch(/needs a list of values/);
  });
});
