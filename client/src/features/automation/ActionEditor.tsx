// The "then" of a rule: an ordered list of actions, each with the fields its kind needs.
import { Button, SelectField, TrashIcon } from '../../shared/ui';
import { CompactInput } from './CompactInput';
import type { Choices } from './ConditionEditor';
import { ACTIONS, LEVELS, MAIL_TEMPLATES, STATUSES, newAction, type Action, type ActionType } from './model';

const ROLES = [
  ['AGENT', 'Agents'],
  ['MANAGER', 'Managers'],
  ['ADMIN', 'Admins'],
] as const;

function Select({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: ReadonlyArray<readonly [string, string]>;
  onChange: (value: string) => void;
}) {
  return (
    <SelectField label={label} hideLabel size="sm" value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="" disabled>
        {label}…
      </option>
      {options.map(([v, l]) => (
        <option key={v} value={v}>
          {l}
        </option>
      ))}
    </SelectField>
  );
}

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? [...new Set([...list, value])] : list.filter((v) => v !== value);
}

function ActionFields({
  action,
  choices,
  onChange,
}: {
  action: Action;
  choices: Choices;
  onChange: (a: Action) => void;
}) {
  switch (action.type) {
    case 'ASSIGN_USER':
      return (
        <Select
          label="Agent"
          value={action.userId}
          options={choices.agents.map((a) => [a.id, a.name] as const)}
          onChange={(userId) => onChange({ ...action, userId })}
        />
      );
    case 'ASSIGN_TEAM':
      return (
        <>
          <Select
            label="Team"
            value={action.teamId}
            options={choices.teams.map((t) => [t.id, t.name] as const)}
            onChange={(teamId) => onChange({ ...action, teamId })}
          />
          <label className="au-check">
            <input
              type="checkbox"
              checked={action.reassign ?? false}
              onChange={(e) => onChange({ ...action, reassign: e.target.checked })}
            />
            Hand over even if someone has it (next member in turn)
          </label>
        </>
      );
    case 'SET_STATUS':
      return (
        <Select
          label="Status"
          value={action.status}
          options={STATUSES}
          onChange={(status) => onChange({ ...action, status })}
        />
      );
    case 'SET_URGENCY':
    case 'SET_IMPORTANCE':
      return (
        <Select
          label="Level"
          value={action.level}
          options={LEVELS}
          onChange={(level) => onChange({ ...action, level })}
        />
      );
    case 'ADD_TAG':
    case 'REMOVE_TAG':
      return (
        <CompactInput
          label="Tag"
          placeholder="tag"
          value={action.tag}
          onChange={(e) => onChange({ ...action, tag: e.target.value })}
        />
      );
    case 'ADD_NOTE':
      return (
        <textarea
          aria-label="Note"
          className="sb-field__input sb-field__textarea au-note"
          rows={2}
          placeholder="Only agents see this note"
          value={action.body}
          onChange={(e) => onChange({ ...action, body: e.target.value })}
        />
      );
    case 'NOTIFY':
      return (
        <div className="au-notify">
          <fieldset className="au-multi">
            <legend className="sb-visually-hidden">Who</legend>
            <label className="au-multi__item">
              <input
                type="checkbox"
                checked={action.assignee}
                onChange={(e) => onChange({ ...action, assignee: e.target.checked })}
              />
              The assignee
            </label>
            {ROLES.map(([role, label]) => (
              <label key={role} className="au-multi__item">
                <input
                  type="checkbox"
                  checked={action.roles.includes(role)}
                  onChange={(e) => onChange({ ...action, roles: toggle(action.roles, role, e.target.checked) })}
                />
                All {label.toLowerCase()}
              </label>
            ))}
            {choices.agents.map((agent) => (
              <label key={agent.id} className="au-multi__item">
                <input
                  type="checkbox"
                  checked={action.userIds.includes(agent.id)}
                  onChange={(e) => onChange({ ...action, userIds: toggle(action.userIds, agent.id, e.target.checked) })}
                />
                {agent.name}
              </label>
            ))}
          </fieldset>
          <CompactInput
            label="Message"
            placeholder="Message (optional)"
            value={action.message ?? ''}
            onChange={(e) => onChange({ ...action, message: e.target.value || undefined })}
          />
        </div>
      );
    case 'SEND_MAIL':
      return (
        <Select
          label="Template"
          value={action.template}
          options={MAIL_TEMPLATES}
          onChange={(template) => onChange({ ...action, template })}
        />
      );
    case 'WEBHOOK':
      return (
        <div className="au-webhook">
          <CompactInput
            label="Webhook URL"
            type="url"
            placeholder="https://example.com/hook"
            value={action.url}
            onChange={(e) => onChange({ ...action, url: e.target.value })}
          />
          <CompactInput
            label="Signing secret"
            type="password"
            autoComplete="new-password"
            placeholder={action.hasSecret ? 'Secret stored (type to replace)' : 'Signing secret (8+ characters)'}
            value={action.secret ?? ''}
            onChange={(e) => onChange({ ...action, secret: e.target.value })}
          />
          <span className="au-muted">
            Signed with HMAC-SHA256 in the <code>X-Switchboard-Signature</code> header.
          </span>
        </div>
      );
  }
}

export function ActionList({
  actions,
  choices,
  onChange,
}: {
  actions: Action[];
  choices: Choices;
  onChange: (actions: Action[]) => void;
}) {
  const replace = (index: number, action: Action | null) => {
    const next = [...actions];
    if (action) next[index] = action;
    else next.splice(index, 1);
    onChange(next);
  };
  return (
    <div className="au-actions">
      <ol className="au-actions__list">
        {actions.map((action, index) => (
          <li key={action.key} className="au-action">
            <span className="au-action__number" aria-hidden="true">
              {index + 1}
            </span>
            <SelectField
              label={`Action ${index + 1}`}
              hideLabel
              size="sm"
              value={action.type}
              onChange={(e) => replace(index, newAction(e.target.value as ActionType))}
            >
              {ACTIONS.map((a) => (
                <option key={a.type} value={a.type}>
                  {a.label}
                </option>
              ))}
            </SelectField>
            <div className="au-action__fields">
              <ActionFields action={action} choices={choices} onChange={(next) => replace(index, next)} />
            </div>
            <Button
              variant="ghost"
              size="sm"
              icon={<TrashIcon size={15} />}
              onClick={() => replace(index, null)}
              aria-label={`Remove action ${index + 1}`}
            />
          </li>
        ))}
      </ol>
      <Select
        label="Add an action"
        value=""
        options={ACTIONS.map((a) => [a.type, a.label] as const)}
        onChange={(type) => onChange([...actions, newAction(type as ActionType)])}
      />
    </div>
  );
}
