// The form for one business-hours calendar: time zone, working periods per weekday (overnight when
// the end is at or before the start), and holidays.
import { useState, type FormEvent } from 'react';
import type { SlaCalendarFieldsFragment, SlaCalendarInput } from '../../gql/graphql';
import { Button, Card, Notice, PlusIcon, TextField, TrashIcon } from '../../shared/ui';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
type Period = { weekday: number; start: string; end: string };
type Holiday = { date: string; name: string };

const officeHours = (): Period[] => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' }));
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export interface CalendarFormProps {
  calendar: SlaCalendarFieldsFragment | null;
  saving: boolean;
  error: string | null;
  onSave(input: SlaCalendarInput): void;
  onCancel(): void;
}

export function CalendarForm({ calendar, saving, error, onSave, onCancel }: CalendarFormProps) {
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? browserZone());
  const [periods, setPeriods] = useState<Period[]>(calendar?.periods.map((p) => ({ ...p })) ?? officeHours());
  const [holidays, setHolidays] = useState<Holiday[]>(
    calendar?.holidays.map((h) => ({ date: h.date, name: h.name ?? '' })) ?? [],
  );
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

  const setPeriod = (index: number, patch: Partial<Period>) =>
    setPeriods((list) => list.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  const setHoliday = (index: number, patch: Partial<Holiday>) =>
    setHolidays((list) => list.map((h, i) => (i === index ? { ...h, ...patch } : h)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave({
      name,
      timeZone,
      periods,
      holidays: holidays.filter((h) => h.date).map((h) => ({ date: h.date, name: h.name || null })),
    });
  };

  return (
    <Card as="section" padding="lg" aria-labelledby="sla-calendar-form-title">
      <form className="sla-form" onSubmit={submit}>
        <h2 className="sla-section__title" id="sla-calendar-form-title">
          {calendar ? `Edit “${calendar.name}”` : 'New business-hours calendar'}
        </h2>
        {error && <Notice tone="danger">{error}</Notice>}
        <div className="sla-form__row">
          <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} required />
          <TextField
            label="Time zone"
            value={timeZone}
            list="sla-time-zones"
            onChange={(e) => setTimeZone(e.target.value)}
            hint="e.g. Europe/Berlin; daylight saving is handled"
            required
          />
          <datalist id="sla-time-zones">
            {zones.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
        </div>
        <fieldset className="sla-form" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sla-muted">Working periods (an end at or before the start runs overnight)</legend>
          <ul className="sla-list">
            {periods.map((period, index) => (
              <li key={index} className="sla-period">
                <select
                  aria-label={`Period ${index + 1} weekday`}
                  value={period.weekday}
                  onChange={(e) => setPeriod(index, { weekday: Number(e.target.value) })}
                >
                  {WEEKDAYS.map((day, i) => (
                    <option key={day} value={i + 1}>
                      {day}
                    </option>
                  ))}
                </select>
                <input
                  type="time"
                  aria-label={`Period ${index + 1} start`}
                  value={period.start}
                  onChange={(e) => setPeriod(index, { start: e.target.value })}
                  required
                />
                <span aria-hidden="true">–</span>
                <input
                  type="time"
                  aria-label={`Period ${index + 1} end`}
                  value={period.end === '24:00' ? '00:00' : period.end}
                  onChange={(e) => setPeriod(index, { end: e.target.value })}
                  required
                />
                <Button
                  variant="ghost"
                  size="sm"
                  icon={<TrashIcon size={14} />}
                  aria-label={`Remove period ${index + 1}`}
                  onClick={() => setPeriods((list) => list.filter((_, i) => i !== index))}
                />
              </li>
            ))}
          </ul>
          <div className="sla-period">
            <Button
              size="sm"
              icon={<PlusIcon size={14} />}
              onClick={() => setPeriods((list) => [...list, { weekday: 1, start: '09:00', end: '17:00' }])}
            >
              Add period
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setPeriods(officeHours())}>
              Monday–Friday 9–17
            </Button>
          </div>
        </fieldset>
        <fieldset className="sla-form" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="sla-muted">Holidays (whole days without business time)</legend>
          <ul className="sla-list">
            {holidays.map((holiday, index) => (
              <li key={index} className="sla-period">
                <input
                  type="date"
                  aria-label={`Holiday ${index + 1} date`}
                  value={holiday.date}
                  onChange={(e) => setHoliday(index, { date: e.target.value })}
                />
                <input
                  type="text"
                  aria-label={`Holiday ${index + 1} name`}
                  placeholder="Name"
                  value={holiday.name}
                  onChange={(e) => setHoliday(index, { name: e.target.value })}
                />
                <Button
                  variant="ghost"
                  size="sm"
                  icon={<TrashIcon size={14} />}
                  aria-label={`Remove holiday ${index + 1}`}
                  onClick={() => setHolidays((list) => list.filter((_, i) => i !== index))}
                />
              </li>
            ))}
          </ul>
          <div>
            <Button
              size="sm"
              icon={<PlusIcon size={14} />}
              onClick={() => setHolidays((list) => [...list, { date: '', name: '' }])}
            >
              Add holiday
            </Button>
          </div>
        </fieldset>
        <div className="sla-list__item">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={saving}>
            Save calendar
          </Button>
        </div>
      </form>
    </Card>
  );
}
