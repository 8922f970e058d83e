// The "if" of a rule: condition rows in and/or groups (groups nest), each row a field, an operator
// and a value picked from what the field allows.
import { Button, PlusIcon, SelectField, TrashIcon } from '../../shared/ui';
import { CompactInput } from './CompactInput';
import {
  CHANNELS,
  FIELDS,
  LEVELS,
  OPERATOR_LABELS,
  STATUSES,
  newCondition,
  newGroup,
  type ConditionGroup,
  type ConditionLeaf,
  type ConditionNode,
  type Field,
  type Operator,
} from './model';

export interface Choices {
  agents: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string }>;
  addresses: Array<{ id: string; address: string }>;
}

const MAX_DEPTH = 4;

function optionsFor(field: Field, choices: Choices): ReadonlyArray<readonly [string, string]> | null {
  switch (field) {
    case 'STATUS':
      return STATUSES;
    case 'URGENCY':
    case 'IMPORTANCE':
      return LEVELS;
    case 'CHANNEL':
      return CHANNELS;
    case 'ASSIGNEE':
      return choices.agents.map((a) => [a.id, a.name] as const);
    case 'TEAM':
      return choices.teams.map((t) => [t.id, t.name] as const);
    case 'SOURCE_ADDRESS':
      return choices.addresses.map((a) => [a.id, a.address] as const);
    default:
      return null;
  }
}

function ValueInput({
  leaf,
  choices,
  onChange,
}: {
  leaf: ConditionLeaf;
  choices: Choices;
  onChange: (value: string | string[] | null) => void;
}) {
  if (leaf.operator === 'IS_EMPTY' || leaf.operator === 'IS_NOT_EMPTY') return null;
  const options = optionsFor(leaf.field, choices);
  const many = leaf.operator === 'IN' || leaf.operator === 'NOT_IN';
  const values = Array.isArray(leaf.value) ? leaf.value : leaf.value ? [leaf.value] : [];
  if (options && many) {
    return (
      <fieldset className="au-multi">
        <legend className="sb-visually-hidden">Values</legend>
        {options.map(([value, label]) => (
          <label key={value} className="au-multi__item">
            <input
              type="checkbox"
              checked={values.includes(value)}
              onChange={(event) =>
                onChange(event.target.checked ? [...values, value] : values.filter((v) => v !== value))
              }
            />
            {label}
          </label>
        ))}
      </fieldset>
    );
  }
  if (options) {
    return (
      <SelectField label="Value" hideLabel size="sm" value={values[0] ?? ''} onChange={(e) => onChange(e.target.value)}>
        <option value="" disabled>
          Choose…
        </option>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
    );
  }
  return (
    <CompactInput
      label="Value"
      placeholder={many ? 'Comma-separated values' : 'Value'}
      value={values.join(many ? ', ' : '')}
      onChange={(event) =>
        onChange(
          many
            ? event.target.value
                .split(',')
                .map((v) => v.trim())
                .filter(Boolean)
            : event.target.value,
        )
      }
    />
  );
}

function ConditionRow({
  leaf,
  choices,
  onChange,
  onRemove,
}: {
  leaf: ConditionLeaf;
  choices: Choices;
  onChange: (leaf: ConditionLeaf) => void;
  onRemove: () => void;
}) {
  const field = FIELDS.find((f) => f.field === leaf.field) ?? FIELDS[0]!;
  const changeField = (next: Field) => {
    const spec = FIELDS.find((f) => f.field === next) ?? field;
    const operator: Operator = spec.operators.includes(leaf.operator) ? leaf.operator : spec.operators[0]!;
    onChange({ ...leaf, field: next, operator, value: null });
  };
  const changeOperator = (operator: Operator) => {
    const many = operator === 'IN' || operator === 'NOT_IN';
    const values = Array.isArray(leaf.value) ? leaf.value : leaf.value ? [leaf.value] : [];
    onChange({ ...leaf, operator, value: many ? values : (values[0] ?? null) });
  };
  return (
    <li className="au-condition">
      <SelectField
        label="Field"
        hideLabel
        size="sm"
        value={leaf.field}
        onChange={(e) => changeField(e.target.value as Field)}
      >
        {FIELDS.map((f) => (
          <option key={f.field} value={f.field}>
            {f.label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Operator"
        hideLabel
        size="sm"
        value={leaf.operator}
        onChange={(e) => changeOperator(e.target.value as Operator)}
      >
        {field.operators.map((operator) => (
          <option key={operator} value={operator}>
            {OPERATOR_LABELS[operator]}
          </option>
        ))}
      </SelectField>
      <div className="au-condition__value">
        <ValueInput leaf={leaf} choices={choices} onChange={(value) => onChange({ ...leaf, value })} />
      </div>
      <Button
        variant="ghost"
        size="sm"
        icon={<TrashIcon size={15} />}
        onClick={onRemove}
        aria-label="Remove condition"
      />
    </li>
  );
}

export function ConditionGroupEditor({
  group,
  choices,
  depth = 0,
  onChange,
  onRemove,
}: {
  group: ConditionGroup;
  choices: Choices;
  depth?: number;
  onChange: (group: ConditionGroup) => void;
  onRemove?: () => void;
}) {
  const replace = (index: number, node: ConditionNode | null) => {
    const children = [...group.children];
    if (node) children[index] = node;
    else children.splice(index, 1);
    onChange({ ...group, children });
  };
  return (
    <div className={`au-group${depth > 0 ? ' au-group--nested' : ''}`}>
      <div className="au-group__bar">
        <div className="au-segmented" role="radiogroup" aria-label="Match">
          {(['AND', 'OR'] as const).map((op) => (
            <button
              key={op}
              type="button"
              role="radio"
              aria-checked={group.op === op}
              className={group.op === op ? 'active' : undefined}
              onClick={() => onChange({ ...group, op })}
            >
              {op === 'AND' ? 'All of' : 'Any of'}
            </button>
          ))}
        </div>
        {group.children.length === 0 && (
          <span className="au-muted">No conditions: the rule runs on every trigger.</span>
        )}
        {onRemove && (
          <Button variant="ghost" size="sm" icon={<TrashIcon size={15} />} onClick={onRemove}>
            Remove group
          </Button>
        )}
      </div>
      <ul className="au-group__children">
        {group.children.map((child, index) =>
          child.type === 'group' ? (
            <li key={child.key}>
              <ConditionGroupEditor
                group={child}
                choices={choices}
                depth={depth + 1}
                onChange={(next) => replace(index, next)}
                onRemove={() => replace(index, null)}
              />
            </li>
          ) : (
            <ConditionRow
              key={child.key}
              leaf={child}
              choices={choices}
              onChange={(next) => replace(index, next)}
              onRemove={() => replace(index, null)}
            />
          ),
        )}
      </ul>
      <div className="au-group__add">
        <Button
          size="sm"
          icon={<PlusIcon size={15} />}
          onClick={() => onChange({ ...group, children: [...group.children, newCondition()] })}
        >
          Condition
        </Button>
        {depth < MAX_DEPTH && (
          <Button
            size="sm"
            variant="ghost"
            icon={<PlusIcon size={15} />}
            onClick={() =>
              onChange({
                ...group,
                children: [...group.children, newGroup(group.op === 'AND' ? 'OR' : 'AND', [newCondition()])],
              })
            }
          >
            Group
          </Button>
        )}
      </div>
    </div>
  );
}
