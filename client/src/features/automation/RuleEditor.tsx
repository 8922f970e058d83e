// The form-based rule builder: name, trigger, conditions, actions, and a dry run against a ticket.
import { useState, type FormEvent } from 'react';
import { useLazyQuery, useMutation } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import {
  AutomationRulesDocument,
  CreateAutomationRuleDocument,
  TestAutomationRuleDocument,
  UpdateAutomationRuleDocument,
  type AutomationRuleFieldsFragment,
  type AutomationRuleInput,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { Button, Card, CheckIcon, CloseIcon, Notice, SelectField, TextField, useToast } from '../../shared/ui';
import { ActionList } from './ActionEditor';
import { CompactInput } from './CompactInput';
import { ConditionGroupEditor, type Choices } from './ConditionEditor';
import {
  TRIGGERS,
  isTimed,
  newGroup,
  readActions,
  readConditions,
  readTrigger,
  writeActions,
  writeNode,
  writeTrigger,
  type Action,
  type ConditionGroup,
  type Trigger,
  type TriggerType,
} from './model';

const UNITS = [
  [1, 'minutes'],
  [60, 'hours'],
  [1440, 'days'],
] as const;

function bestUnit(minutes: number): number {
  return minutes % 1440 === 0 ? 1440 : minutes % 60 === 0 ? 60 : 1;
}

function TriggerPicker({ trigger, onChange }: { trigger: Trigger; onChange: (trigger: Trigger) => void }) {
  const minutes = trigger.minutes ?? 120;
  const unit = bestUnit(minutes);
  return (
    <div className="au-trigger">
      <SelectField
        label="When"
        hideLabel
        value={trigger.type}
        onChange={(e) => {
          const type = e.target.value as TriggerType;
          onChange({
            type,
            ...(isTimed(type) ? { minutes } : {}),
            ...(type === 'COMMENT_ADDED' ? { visibility: 'ANY' as const } : {}),
          });
        }}
      >
        <optgroup label="When something happens">
          {TRIGGERS.filter((t) => !t.timed).map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </optgroup>
        <optgroup label="After a while">
          {TRIGGERS.filter((t) => t.timed).map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </optgroup>
      </SelectField>
      {isTimed(trigger.type) && (
        <div className="au-trigger__duration">
          <CompactInput
            label="Duration"
            type="number"
            min={1}
            value={String(minutes / unit)}
            onChange={(e) =>
              onChange({ ...trigger, minutes: Math.max(1, Math.round(Number(e.target.value) || 1)) * unit })
            }
          />
          <SelectField
            label="Unit"
            hideLabel
            size="sm"
            value={String(unit)}
            onChange={(e) => onChange({ ...trigger, minutes: (minutes / unit) * Number(e.target.value) })}
          >
            {UNITS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
        </div>
      )}
      {trigger.type === 'COMMENT_ADDED' && (
        <SelectField
          label="Which comments"
          value={trigger.visibility ?? 'ANY'}
          onChange={(e) => onChange({ ...trigger, visibility: e.target.value as Trigger['visibility'] })}
        >
          <option value="ANY">Replies and internal notes</option>
          <option value="PUBLIC">Public replies only</option>
          <option value="INTERNAL">Internal notes only</option>
        </SelectField>
      )}
    </div>
  );
}

function DryRun({ input }: { input: () => AutomationRuleInput }) {
  const [number, setNumber] = useState('');
  const [run, result] = useLazyQuery(TestAutomationRuleDocument, { fetchPolicy: 'network-only' });
  const data = result.data?.testAutomationRule;
  const problem = result.error ? (graphQLErrorMessage(result.error) ?? connectionMessage(result.error)) : null;
  const onTest = () => {
    const ticketNumber = Number(number.replace('#', ''));
    if (!Number.isInteger(ticketNumber) || ticketNumber < 1) return;
    void run({ variables: { ticketNumber, input: input() } });
  };
  return (
    <section className="au-dryrun" aria-label="Dry run">
      {/* Not a <form>: it sits inside the rule's form, and Enter here must test, not save. */}
      <div className="au-dryrun__form">
        <CompactInput
          label="Ticket number"
          placeholder="#42"
          inputMode="numeric"
          value={number}
          onChange={(e) => setNumber(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            onTest();
          }}
        />
        <Button size="sm" loading={result.loading} disabled={!number.trim()} onClick={onTest}>
          Test against ticket
        </Button>
        <span className="au-muted">Nothing is changed.</span>
      </div>
      {problem && <Notice tone="warning">{problem}</Notice>}
      {data && !result.loading && !problem && (
        <div className={`au-dryrun__result au-dryrun__result--${data.matched ? 'match' : 'miss'}`} role="status">
          <p className="au-dryrun__verdict">
            {data.matched
              ? `Matches ticket #${data.ticketNumber}: these actions would run`
              : `Does not match ticket #${data.ticketNumber}`}
          </p>
          {data.conditions.length > 0 && (
            <ul className="au-dryrun__conditions">
              {data.conditions.map((c, i) => (
                <li key={i} className={c.matched ? 'ok' : 'no'}>
                  {c.matched ? <CheckIcon size={14} /> : <CloseIcon size={14} />} {c.description}
                </li>
              ))}
            </ul>
          )}
          {data.matched && (
            <ol className="au-dryrun__actions">
              {data.actions.map((a, i) => (
                <li key={i}>{a}</li>
              ))}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}

export function RuleEditor({
  rule,
  choices,
  onDone,
}: {
  rule: AutomationRuleFieldsFragment | null;
  choices: Choices;
  onDone: (savedId: string | null) => void;
}) {
  const toast = useToast();
  const [name, setName] = useState(rule?.name ?? '');
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [trigger, setTrigger] = useState<Trigger>(() =>
    rule ? readTrigger(rule.trigger) : { type: 'TICKET_CREATED' },
  );
  const [conditions, setConditions] = useState<ConditionGroup>(() =>
    rule ? readConditions(rule.conditions) : newGroup(),
  );
  const [actions, setActions] = useState<Action[]>(() => (rule ? readActions(rule.actions) : []));
  const [problem, setProblem] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const refetchQueries = [AutomationRulesDocument];
  const [create, creating] = useMutation(CreateAutomationRuleDocument, { refetchQueries });
  const [update, updating] = useMutation(UpdateAutomationRuleDocument, { refetchQueries });

  const input = (): AutomationRuleInput => ({
    name: name.trim() || 'Untitled rule',
    enabled,
    trigger: writeTrigger(trigger),
    conditions: writeNode(conditions),
    actions: writeActions(actions),
  });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setNameError(name.trim() ? null : 'Give the rule a name');
    if (!name.trim()) return;
    if (actions.length === 0) {
      setProblem('Add at least one action.');
      return;
    }
    try {
      const variables = { input: { ...input(), name: name.trim() } };
      const saved = rule
        ? (await update({ variables: { id: rule.id, ...variables } })).data?.updateAutomationRule
        : (await create({ variables })).data?.createAutomationRule;
      toast.show(`Rule “${name.trim()}” saved`, 'success');
      onDone(saved?.id ?? null);
    } catch (error) {
      setProblem(
        CombinedGraphQLErrors.is(error) ? (error.errors[0]?.message ?? 'Not saved') : connectionMessage(error),
      );
    }
  };

  return (
    <Card padding="lg" as="section" aria-labelledby="au-editor-title" className="au-editor">
      <form onSubmit={onSubmit} noValidate aria-label="Rule">
        <header className="au-editor__header">
          <h2 className="st-form__title" id="au-editor-title">
            {rule ? `Edit “${rule.name}”` : 'New rule'}
          </h2>
          <label className="au-check">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Enabled
          </label>
        </header>
        {problem && (
          <Notice tone="danger" title="The rule was not saved">
            {problem}
          </Notice>
        )}
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={nameError}
          maxLength={200}
        />
        <fieldset className="au-section">
          <legend className="au-section__title">When</legend>
          <TriggerPicker trigger={trigger} onChange={setTrigger} />
        </fieldset>
        <fieldset className="au-section">
          <legend className="au-section__title">If</legend>
          <ConditionGroupEditor group={conditions} choices={choices} onChange={setConditions} />
        </fieldset>
        <fieldset className="au-section">
          <legend className="au-section__title">Then</legend>
          <ActionList actions={actions} choices={choices} onChange={setActions} />
        </fieldset>
        <DryRun input={input} />
        <div className="st-form__actions">
          <Button variant="ghost" onClick={() => onDone(null)}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={creating.loading || updating.loading}>
            {rule ? 'Save rule' : 'Create rule'}
          </Button>
        </div>
      </form>
    </Card>
  );
}
