// Notification preferences (/notifications/preferences), for every staff user: per kind, in the
// app and by mail (at once, hourly or daily digest, or not), quiet hours in their time zone, and
// the hour of the daily digest. One form, saved at once; an invalid value changes nothing.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import {
  NotificationPreferencesDocument,
  UpdateNotificationPreferencesDocument,
  type EmailDelivery,
  type NotificationKind,
  type NotificationPreferencesFieldsFragment,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { Button, Card, Notice, SelectField, Skeleton, TextField, useToast } from '../../shared/ui';
import { NOTIFICATION_KINDS } from '../../shared/labels/kinds';
import './notifications.css';

const DELIVERIES: Array<{ value: EmailDelivery; label: string }> = [
  { value: 'IMMEDIATELY', label: 'Immediately' },
  { value: 'HOURLY_DIGEST', label: 'Hourly digest' },
  { value: 'DAILY_DIGEST', label: 'Daily digest' },
  { value: 'OFF', label: 'Off' },
];

type Draft = NotificationPreferencesFieldsFragment;
type Errors = Partial<Record<'timeZone' | 'quietHoursStart' | 'quietHoursEnd' | 'dailyDigestHour' | 'kinds', string>>;

function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function timeZones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, deviceTimeZone(), ...all])].sort();
}

function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function PreferencesForm({ saved }: { saved: Draft }) {
  const toast = useToast();
  const [draft, setDraft] = useState<Draft>(saved);
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(UpdateNotificationPreferencesDocument);
  const zones = useMemo(() => timeZones(saved.timeZone), [saved.timeZone]);
  const device = deviceTimeZone();
  const changed = !sameDraft(draft, saved);

  useEffect(() => setDraft(saved), [saved]);

  const setKind = (kind: NotificationKind, patch: Partial<{ inApp: boolean; email: EmailDelivery }>) =>
    setDraft((d) => ({ ...d, kinds: d.kinds.map((k) => (k.kind === kind ? { ...k, ...patch } : k)) }));

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setErrors({});
    setProblem(null);
    try {
      await save({
        variables: {
          input: {
            timeZone: draft.timeZone,
            quietHoursEnabled: draft.quietHoursEnabled,
            quietHoursStart: draft.quietHoursStart,
            quietHoursEnd: draft.quietHoursEnd,
            dailyDigestHour: draft.dailyDigestHour,
            kinds: draft.kinds.map(({ kind, inApp, email }) => ({ kind, inApp, email })),
          },
        },
      });
      toast.show('Notification preferences saved', 'success');
    } catch (error) {
      const next: Errors = {};
      let other: string | null = null;
      if (CombinedGraphQLErrors.is(error)) {
        for (const item of error.errors) {
          const field = item.extensions?.['field'];
          if (
            typeof field === 'string' &&
            field in { timeZone: 1, quietHoursStart: 1, quietHoursEnd: 1, dailyDigestHour: 1, kinds: 1 }
          ) {
            next[field as keyof Errors] ??= item.message;
          } else other ??= item.message;
        }
      } else {
        other = connectionMessage(error);
      }
      setErrors(next);
      setProblem(other ?? (Object.keys(next).length ? null : 'The preferences were not saved'));
    }
  };

  return (
    <form className="np-form" onSubmit={onSubmit} noValidate aria-label="Notification preferences">
      {problem && (
        <Notice tone="danger" title="The preferences were not saved">
          {problem}
        </Notice>
      )}
      <Card padding="lg" as="section" aria-labelledby="np-kinds-title">
        <h2 className="np-section__title" id="np-kinds-title">
          What reaches you, and how
        </h2>
        <p className="np-section__lead">
          Mail never tells you about your own actions. Digests collect everything since the last one into one mail.
        </p>
        <div className="np-matrix__scroll">
          <table className="np-matrix">
            <thead>
              <tr>
                <th scope="col">Notification</th>
                <th scope="col">In the app</th>
                <th scope="col">By email</th>
              </tr>
            </thead>
            <tbody>
              {draft.kinds.map(({ kind, inApp, email }) => (
                <tr key={kind}>
                  <th scope="row">
                    <span className="np-kind__label">{NOTIFICATION_KINDS[kind].label}</span>
                    <span className="np-kind__hint">{NOTIFICATION_KINDS[kind].hint}</span>
                  </th>
                  <td>
                    <input
                      type="checkbox"
                      className="np-check"
                      checked={inApp}
                      aria-label={`${NOTIFICATION_KINDS[kind].label} in the app`}
                      onChange={(event) => setKind(kind, { inApp: event.target.checked })}
                    />
                  </td>
                  <td>
                    <SelectField
                      label={`${NOTIFICATION_KINDS[kind].label} by email`}
                      hideLabel
                      size="sm"
                      value={email}
                      onChange={(event) => setKind(kind, { email: event.target.value as EmailDelivery })}
                    >
                      {DELIVERIES.map((d) => (
                        <option key={d.value} value={d.value}>
                          {d.label}
                        </option>
                      ))}
                    </SelectField>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <Card padding="lg" as="section" aria-labelledby="np-time-title">
        <h2 className="np-section__title" id="np-time-title">
          Quiet hours and digests
        </h2>
        <p className="np-section__lead">
          During quiet hours mail is held and delivered when they end (or with your next digest). The bell keeps ringing
          in the app.
        </p>
        <div className="np-grid">
          <SelectField
            label="Time zone"
            value={draft.timeZone}
            error={errors.timeZone}
            onChange={(event) => setDraft((d) => ({ ...d, timeZone: event.target.value }))}
            hint={
              device !== draft.timeZone ? (
                <button
                  type="button"
                  className="tk-link-button"
                  onClick={() => setDraft((d) => ({ ...d, timeZone: device }))}
                >
                  Use this device’s time zone ({device})
                </button>
              ) : (
                'This device’s time zone.'
              )
            }
          >
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </SelectField>
          <SelectField
            label="Daily digest at"
            value={String(draft.dailyDigestHour)}
            error={errors.dailyDigestHour}
            onChange={(event) => setDraft((d) => ({ ...d, dailyDigestHour: Number(event.target.value) }))}
            hint="Hourly digests go out at the start of every hour."
          >
            {Array.from({ length: 24 }, (_, hour) => (
              <option key={hour} value={hour}>
                {`${String(hour).padStart(2, '0')}:00`}
              </option>
            ))}
          </SelectField>
        </div>
        <label className="np-toggle">
          <input
            type="checkbox"
            checked={draft.quietHoursEnabled}
            onChange={(event) => setDraft((d) => ({ ...d, quietHoursEnabled: event.target.checked }))}
          />
          <span>
            <span className="np-toggle__label">Quiet hours</span>
            <span className="np-toggle__hint">No mail in this window; nothing is lost.</span>
          </span>
        </label>
        <div className="np-grid">
          <TextField
            label="From"
            type="time"
            value={draft.quietHoursStart}
            disabled={!draft.quietHoursEnabled}
            error={errors.quietHoursStart}
            onChange={(event) => setDraft((d) => ({ ...d, quietHoursStart: event.target.value }))}
          />
          <TextField
            label="Until"
            type="time"
            value={draft.quietHoursEnd}
            disabled={!draft.quietHoursEnabled}
            error={errors.quietHoursEnd}
            hint={draft.quietHoursEnd < draft.quietHoursStart ? 'The next morning.' : undefined}
            onChange={(event) => setDraft((d) => ({ ...d, quietHoursEnd: event.target.value }))}
          />
        </div>
      </Card>

      <div className="np-actions">
        <Button variant="ghost" disabled={!changed} onClick={() => setDraft(saved)}>
          Discard changes
        </Button>
        <Button type="submit" variant="primary" loading={saving.loading} disabled={!changed}>
          Save preferences
        </Button>
      </div>
    </form>
  );
}

export function NotificationPreferencesPage() {
  const { data, error } = useQuery(NotificationPreferencesDocument);
  return (
    <div className="sb-page np-page">
      <title>Notification preferences · Switchboard</title>
      <header className="sb-page__header">
        <Link to="/notifications" className="sb-page__eyebrow">
          Notifications
        </Link>
        <h1 className="sb-page__title">Notification preferences</h1>
        <p className="sb-page__lead">Choose what you hear about, where, and when.</p>
      </header>
      {error && !data ? (
        <Notice tone="danger" title="Your preferences could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !data ? (
        <Card>
          <Skeleton width="40%" height={16} />
        </Card>
      ) : (
        <PreferencesForm saved={data.notificationPreferences} />
      )}
    </div>
  );
}
