// Settings → Automation (/settings/automation, admins and managers): the rules in the order they
// run, with switches, reordering (buttons; keyboard friendly), the rule builder and each rule's log.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  AutomationChoicesDocument,
  AutomationRulesDocument,
  DeleteAutomationRuleDocument,
  ReorderAutomationRulesDocument,
  SetAutomationRuleEnabledDocument,
  type AutomationRuleFieldsFragment,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import {
  Button,
  Card,
  ChevronDownIcon,
  EmptyState,
  Notice,
  PencilIcon,
  PlusIcon,
  Skeleton,
  TrashIcon,
  ZapIcon,
  cx,
  useToast,
} from '../../shared/ui';
import type { Choices } from './ConditionEditor';
import { ExecutionLog } from './ExecutionLog';
import { RuleEditor } from './RuleEditor';
import { countConditions, readActions, readConditions, readTrigger, triggerLabel } from './model';
import './automation.css';

export function canManageAutomation(role: string): boolean {
  return role === 'ADMIN' || role === 'SUPERADMIN' || role === 'MANAGER';
}

/** Routes for admins and managers; other staff go to the inbox. */
type Rule = AutomationRuleFieldsFragment;
type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

function RuleRow({
  rule,
  index,
  count,
  selected,
  onSelect,
  onEdit,
  onMove,
}: {
  rule: Rule;
  index: number;
  count: number;
  selected: boolean;
  onSelect: () => void;
  onEdit: () => void;
  onMove: (delta: -1 | 1) => void;
}) {
  const toast = useToast();
  const [setEnabled] = useMutation(SetAutomationRuleEnabledDocument);
  const [remove, removing] = useMutation(DeleteAutomationRuleDocument, { refetchQueries: [AutomationRulesDocument] });
  const conditions = countConditions(readConditions(rule.conditions));
  const actions = readActions(rule.actions).length;
  return (
    <li className={cx('au-rule', selected && 'au-rule--selected', !rule.enabled && 'au-rule--off')}>
      <span className="au-rule__position" aria-hidden="true">
        {index + 1}
      </span>
      <button type="button" className="au-rule__main" onClick={onSelect} aria-current={selected ? 'true' : undefined}>
        <span className="au-rule__name">{rule.name}</span>
        <span className="au-rule__meta">
          {triggerLabel(readTrigger(rule.trigger))} ·{' '}
          {conditions === 0 ? 'always' : `${conditions} condition${conditions > 1 ? 's' : ''}`} · {actions} action
          {actions === 1 ? '' : 's'}
        </span>
      </button>
      <label className="au-switch" title={rule.enabled ? 'Enabled' : 'Disabled'}>
        <input
          type="checkbox"
          role="switch"
          checked={rule.enabled}
          aria-label={`Enable ${rule.name}`}
          onChange={(e) =>
            void setEnabled({ variables: { id: rule.id, enabled: e.target.checked } }).catch((error: unknown) =>
              toast.show(graphQLErrorMessage(error) ?? connectionMessage(error), 'danger'),
            )
          }
        />
        <span aria-hidden="true" />
      </label>
      <div className="au-rule__tools">
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Move ${rule.name} up`}
          disabled={index === 0}
          onClick={() => onMove(-1)}
          icon={<ChevronDownIcon size={15} className="au-flip" />}
        />
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Move ${rule.name} down`}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
          icon={<ChevronDownIcon size={15} />}
        />
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Edit ${rule.name}`}
          icon={<PencilIcon size={15} />}
          onClick={onEdit}
        />
        <Button
          variant="ghost"
          size="sm"
          aria-label={`Delete ${rule.name}`}
          icon={<TrashIcon size={15} />}
          loading={removing.loading}
          onClick={() => {
            if (window.confirm(`Delete the rule “${rule.name}” and its log?`))
              void remove({ variables: { id: rule.id } });
          }}
        />
      </div>
    </li>
  );
}

export function AutomationPage() {
  const { data, error } = useQuery(AutomationRulesDocument);
  const choicesQuery = useQuery(AutomationChoicesDocument);
  const [reorder] = useMutation(ReorderAutomationRulesDocument, { refetchQueries: [AutomationRulesDocument] });
  const [editing, setEditing] = useState<Editing>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const rules = data?.automationRules ?? [];
  const selected = rules.find((r) => r.id === selectedId) ?? null;
  const choices: Choices = {
    agents: choicesQuery.data?.agents ?? [],
    teams: choicesQuery.data?.teams ?? [],
    addresses: choicesQuery.data?.emailAddresses ?? [],
  };
  const editedRule = editing?.kind === 'edit' ? (rules.find((r) => r.id === editing.id) ?? null) : null;

  const move = (index: number, delta: -1 | 1) => {
    const ids = rules.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + delta, 0, moved!);
    void reorder({ variables: { ids } });
  };

  return (
    <div className="sb-page st-page au-page">
      <title>Automation · Settings · Switchboard</title>
      <header className="sb-page__header au-page__header">
        <div>
          <span className="sb-page__eyebrow">Settings</span>
          <h1 className="sb-page__title">Automation</h1>
          <p className="sb-page__lead">
            If-then rules that run by themselves, top to bottom. Changes they make show “Automation: rule name” on the
            ticket.
          </p>
        </div>
        {!editing && (
          <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setEditing({ kind: 'new' })}>
            New rule
          </Button>
        )}
      </header>
      {error && !data ? (
        <Notice tone="danger" title="The rules could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !data ? (
        <Card>
          <Skeleton width="40%" height={16} />
        </Card>
      ) : (
        <>
          {editing && (editing.kind === 'new' || editedRule) && (
            <RuleEditor
              key={editing.kind === 'edit' ? editing.id : 'new'}
              rule={editedRule}
              choices={choices}
              onDone={(savedId) => {
                setEditing(null);
                if (savedId) setSelectedId(savedId);
              }}
            />
          )}
          {rules.length === 0 ? (
            !editing && (
              <Card>
                <EmptyState
                  icon={<ZapIcon size={20} />}
                  title="No rules yet"
                  action={
                    <Button variant="primary" onClick={() => setEditing({ kind: 'new' })}>
                      Create the first rule
                    </Button>
                  }
                >
                  Escalate critical tickets, close resolved ones after three days, call a webhook when an SLA breaches…
                </EmptyState>
              </Card>
            )
          ) : (
            <Card padding="none" as="section" aria-label="Rules">
              <ol className="au-rules">
                {rules.map((rule, index) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    index={index}
                    count={rules.length}
                    selected={rule.id === selectedId}
                    onSelect={() => setSelectedId(rule.id === selectedId ? null : rule.id)}
                    onEdit={() => setEditing({ kind: 'edit', id: rule.id })}
                    onMove={(delta) => move(index, delta)}
                  />
                ))}
              </ol>
            </Card>
          )}
          {selected && <ExecutionLog ruleId={selected.id} ruleName={selected.name} />}
        </>
      )}
    </div>
  );
}
