// The form for one SLA policy: name, default, calendar, warning lead, pause statuses, and the
// urgency × importance matrix of targets (minutes of business time).
import { useState, type FormEvent } from 'react';
import type { Level, SlaPolicyFieldsFragment, SlaPolicyInput, TicketStatus } from '../../gql/graphql';
import { Button, Card, Notice, SelectField, TextField } from '../../shared/ui';

const LEVELS: Level[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const PAUSABLE: TicketStatus[] = ['NEW', 'OPEN', 'PENDING_CUSTOMER', 'PENDING_THIRD_PARTY', 'ON_HOLD'];
const STATUS_LABELS: Record<string, string> = {
  NEW: 'New',
  OPEN: 'Open',
  PENDING_CUSTOMER: 'Pending customer',
  PENDING_THIRD_PARTY: 'Pending third party',
  ON_HOLD: 'On hold',
};
const title = (level: Level) => level.charAt(0) + level.slice(1).toLowerCase();

type Cell = { first: string; next: string; resolution: string };
type Matrix = Record<string, Cell>;
const key = (u: Level, i: Level) => `${u}:${i}`;

function matrixOf(policy: SlaPolicyFieldsFragment | null): Matrix {
  const matrix: Matrix = {};
  for (const u of LEVELS)
    for (const i of LEVELS) {
      const t = policy?.targets.find((x) => x.urgency === u && x.importance === i);
      matrix[key(u, i)] = {
        first: t ? String(t.firstResponseMinutes) : '',
        next: t?.nextResponseMinutes != null ? String(t.nextResponseMinutes) : '',
        resolution: t ? String(t.resolutionMinutes) : '',
      };
    }
  return matrix;
}

export interface PolicyFormProps {
  policy: SlaPolicyFieldsFragment | null;
  calendars: Array<{ id: string; name: string }>;
  saving: boolean;
  error: string | null;
  onSave(input: SlaPolicyInput): void;
  onCancel(): void;
}

export function PolicyForm({ policy, calendars, saving, error, onSave, onCancel }: PolicyFormProps) {
  const [name, setName] = useState(policy?.name ?? '');
  const [isDefault, setDefault] = useState(policy?.isDefault ?? false);
  const [calendarId, setCalendarId] = useState(policy?.calendar?.id ?? '');
  const [warning, setWarning] = useState(String(policy?.warningMinutes ?? 60));
  const [pause, setPause] = useState<TicketStatus[]>(policy?.pauseStatuses ?? ['PENDING_CUSTOMER']);
  const [matrix, setMatrix] = useState<Matrix>(() => matrixOf(policy));
  const [problem, setProblem] = useState<string | null>(null);

  const setCell = (k: string, field: keyof Cell, value: string) =>
    setMatrix((m) => ({ ...m, [k]: { ...m[k]!, [field]: value } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const targets: SlaPolicyInput['targets'] = [];
    for (const u of LEVELS)
      for (const i of LEVELS) {
        const cell = matrix[key(u, i)]!;
        if (!cell.first && !cell.resolution) continue;
        if (!cell.first || !cell.resolution) {
          setProblem(`${title(u)} urgency × ${title(i)} importance needs both a first response and a resolution time`);
          return;
        }
        targets.push({
          urgency: u,
          importance: i,
          firstResponseMinutes: Number(cell.first),
          nextResponseMinutes: cell.next ? Number(cell.next) : null,
          resolutionMinutes: Number(cell.resolution),
        });
      }
    setProblem(null);
    onSave({
      name,
      isDefault,
      calendarId: calendarId || null,
      targets,
      pauseStatuses: pause,
      warningMinutes: Number(warning),
    });
  };

  return (
    <Card as="section" padding="lg" aria-labelledby="sla-policy-form-title">
      <form className="sla-form" onSubmit={submit}>
        <h2 className="sla-section__title" id="sla-policy-form-title">
          {policy ? `Edit “${policy.name}”` : 'New SLA policy'}
        </h2>
        {(problem ?? error) && <Notice tone="danger">{problem ?? error}</Notice>}
        <div className="sla-form__row">
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
          <SelectField label="Business hours" value={calendarId} onChange={(e) => setCalendarId(e.target.value)}>
            <option value="">Around the clock</option>
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Warn before due (minutes)"
            type="number"
            min={0}
            value={warning}
            onChange={(e) => setWarning(e.target.value)}
            hint="At most half of a target"
          />
        </div>
        <label className="sla-checks">
          <input
            type="checkbox"
            checked={isDefault}
            disabled={policy?.isDefault === true}
            onChange={(e) => setDefault(e.target.checked)}
          />
          Default policy (applies to tickets created from now on)
        </label>
        <fieldset className="sla-checks">
          <legend className="sla-muted">Clock paused while the ticket is</legend>
          {PAUSABLE.map((status) => (
            <label key={status}>
              <input
                type="checkbox"
                checked={pause.includes(status)}
                onChange={(e) => setPause((p) => (e.target.checked ? [...p, status] : p.filter((s) => s !== status)))}
              />
              {STATUS_LABELS[status]}
            </label>
          ))}
        </fieldset>
        <div className="sla-scroll">
          <table className="sla-table sla-matrix">
            <caption className="sla-muted" style={{ textAlign: 'left' }}>
              Targets in minutes of business time; leave a row empty for no SLA, next response empty for none.
            </caption>
            <thead>
              <tr>
                <th scope="col">Urgency</th>
                <th scope="col">Importance</th>
                <th scope="col">First response</th>
                <th scope="col">Next response</th>
                <th scope="col">Resolution</th>
              </tr>
            </thead>
            <tbody>
              {LEVELS.flatMap((u) =>
                LEVELS.map((i) => {
                  const k = key(u, i);
                  const cell = matrix[k]!;
                  const cellName = `${title(u)} urgency, ${title(i)} importance`;
                  return (
                    <tr key={k}>
                      <td>{title(u)}</td>
                      <td>{title(i)}</td>
                      {(['first', 'next', 'resolution'] as const).map((field) => (
                        <td key={field}>
                          <input
                            type="number"
                            min={1}
                            inputMode="numeric"
                            aria-label={`${cellName}: ${field === 'first' ? 'first response' : field === 'next' ? 'next response' : 'resolution'} minutes`}
                            value={cell[field]}
                            onChange={(e) => setCell(k, field, e.target.value)}
                          />
                        </td>
                      ))}
                    </tr>
                  );
                }),
              )}
            </tbody>
          </table>
        </div>
        <div className="sla-list__item">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={saving}>
            Save policy
          </Button>
        </div>
      </form>
    </Card>
  );
}
