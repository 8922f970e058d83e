// SLA settings (/sla/policies, managers and admins): policies with their target matrix, business
// hours calendars, and which companies have a policy of their own.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  CreateSlaCalendarDocument,
  CreateSlaPolicyDocument,
  DeleteSlaCalendarDocument,
  DeleteSlaPolicyDocument,
  SetCompanySlaPolicyDocument,
  SlaSettingsDocument,
  UpdateSlaCalendarDocument,
  UpdateSlaPolicyDocument,
  type SlaCalendarFieldsFragment,
  type SlaCalendarInput,
  type SlaPolicyFieldsFragment,
  type SlaPolicyInput,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import {
  Button,
  Card,
  Notice,
  PencilIcon,
  PlusIcon,
  SelectField,
  Skeleton,
  TrashIcon,
  useToast,
} from '../../shared/ui';
import { PolicyForm } from './PolicyForm';
import { CalendarForm } from './CalendarForm';
import './sla.css';

type Editing<T> = { item: T | null } | null;
const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function errorText(error: unknown): string {
  return graphQLErrorMessage(error) ?? connectionMessage(error);
}

export function SlaSettingsPage() {
  const toast = useToast();
  const { data, loading, error, refetch } = useQuery(SlaSettingsDocument);
  const [policyEdit, setPolicyEdit] = useState<Editing<SlaPolicyFieldsFragment>>(null);
  const [calendarEdit, setCalendarEdit] = useState<Editing<SlaCalendarFieldsFragment>>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [createPolicy, createPolicyState] = useMutation(CreateSlaPolicyDocument);
  const [updatePolicy, updatePolicyState] = useMutation(UpdateSlaPolicyDocument);
  const [deletePolicy] = useMutation(DeleteSlaPolicyDocument);
  const [createCalendar, createCalendarState] = useMutation(CreateSlaCalendarDocument);
  const [updateCalendar, updateCalendarState] = useMutation(UpdateSlaCalendarDocument);
  const [deleteCalendar] = useMutation(DeleteSlaCalendarDocument);
  const [setCompanyPolicy] = useMutation(SetCompanySlaPolicyDocument);

  const run = async (action: () => Promise<unknown>, done: string, after?: () => void) => {
    try {
      await action();
      setFormError(null);
      after?.();
      await refetch();
      toast.show(done, 'success');
    } catch (e) {
      setFormError(errorText(e));
      if (!after) toast.error(errorText(e));
    }
  };

  const savePolicy = (input: SlaPolicyInput) => {
    const id = policyEdit?.item?.id;
    void run(
      () => (id ? updatePolicy({ variables: { id, input } }) : createPolicy({ variables: { input } })),
      'Policy saved',
      () => setPolicyEdit(null),
    );
  };

  const saveCalendar = (input: SlaCalendarInput) => {
    const id = calendarEdit?.item?.id;
    void run(
      () => (id ? updateCalendar({ variables: { id, input } }) : createCalendar({ variables: { input } })),
      'Calendar saved',
      () => setCalendarEdit(null),
    );
  };

  if (loading && !data) return <Skeleton height={200} />;
  if (error && !data) return <Notice tone="danger">{connectionMessage(error)}</Notice>;
  const policies = data?.slaPolicies ?? [];
  const calendars = data?.slaCalendars ?? [];
  const companies = data?.slaCompanies ?? [];

  return (
    <div className="sb-page sla-page">
      <header className="sla-page__header">
        <div>
          <h1 className="sb-page__title">SLA policies</h1>
          <p className="sb-page__lead">
            Response and resolution targets per urgency and importance, the business hours they count in, and companies
            with their own terms.
          </p>
        </div>
      </header>

      {policyEdit ? (
        <PolicyForm
          policy={policyEdit.item}
          calendars={calendars}
          saving={createPolicyState.loading || updatePolicyState.loading}
          error={formError}
          onSave={savePolicy}
          onCancel={() => setPolicyEdit(null)}
        />
      ) : (
        <Card as="section" aria-labelledby="sla-policies-title">
          <div className="sla-list__item">
            <h2 className="sla-section__title" id="sla-policies-title">
              Policies
            </h2>
            <Button size="sm" icon={<PlusIcon size={14} />} onClick={() => setPolicyEdit({ item: null })}>
              New policy
            </Button>
          </div>
          <ul className="sla-list">
            {policies.map((policy) => (
              <li key={policy.id} className="sla-list__item">
                <span>
                  <strong>{policy.name}</strong>
                  {policy.isDefault && <span className="sla-badge sla-badge--ok"> Default</span>}
                  <span className="sla-muted">
                    {' '}
                    · {policy.calendar?.name ?? 'Around the clock'} · {policy.targets.length} cells · warns{' '}
                    {policy.warningMinutes} min before
                  </span>
                </span>
                <span className="sla-period">
                  <Button
                    size="sm"
                    variant="ghost"
                    icon={<PencilIcon size={14} />}
                    onClick={() => setPolicyEdit({ item: policy })}
                  >
                    Edit
                  </Button>
                  {!policy.isDefault && (
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={<TrashIcon size={14} />}
                      aria-label={`Delete ${policy.name}`}
                      onClick={() => void run(() => deletePolicy({ variables: { id: policy.id } }), 'Policy deleted')}
                    />
                  )}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}

      {calendarEdit ? (
        <CalendarForm
          calendar={calendarEdit.item}
          saving={createCalendarState.loading || updateCalendarState.loading}
          error={formError}
          onSave={saveCalendar}
          onCancel={() => setCalendarEdit(null)}
        />
      ) : (
        <Card as="section" aria-labelledby="sla-calendars-title">
          <div className="sla-list__item">
            <h2 className="sla-section__title" id="sla-calendars-title">
              Business hours
            </h2>
            <Button size="sm" icon={<PlusIcon size={14} />} onClick={() => setCalendarEdit({ item: null })}>
              New calendar
            </Button>
          </div>
          {calendars.length === 0 ? (
            <p className="sla-muted">No calendars yet: policies count around the clock.</p>
          ) : (
            <ul className="sla-list">
              {calendars.map((calendar) => (
                <li key={calendar.id} className="sla-list__item">
                  <span>
                    <strong>{calendar.name}</strong>
                    <span className="sla-muted">
                      {' '}
                      · {calendar.timeZone} ·{' '}
                      {calendar.periods.map((p) => `${WEEKDAY_SHORT[p.weekday - 1]} ${p.start}–${p.end}`).join(', ')}
                      {calendar.holidays.length > 0 && ` · ${calendar.holidays.length} holidays`}
                    </span>
                  </span>
                  <span className="sla-period">
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={<PencilIcon size={14} />}
                      onClick={() => setCalendarEdit({ item: calendar })}
                    >
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={<TrashIcon size={14} />}
                      aria-label={`Delete ${calendar.name}`}
                      onClick={() =>
                        void run(() => deleteCalendar({ variables: { id: calendar.id } }), 'Calendar deleted')
                      }
                    />
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}

      <Card as="section" aria-labelledby="sla-companies-title">
        <h2 className="sla-section__title" id="sla-companies-title">
          Company policies
        </h2>
        {formError && !policyEdit && !calendarEdit && <Notice tone="danger">{formError}</Notice>}
        {companies.length === 0 ? (
          <p className="sla-muted">No companies yet.</p>
        ) : (
          <ul className="sla-list">
            {companies.map(({ company, policy }) => (
              <li key={company.id} className="sla-list__item">
                <SelectField
                  label={company.name}
                  value={policy?.id ?? ''}
                  onChange={(e) =>
                    void run(
                      () =>
                        setCompanyPolicy({ variables: { companyId: company.id, policyId: e.target.value || null } }),
                      `${company.name}: policy changed`,
                    )
                  }
                >
                  <option value="">Tenant default</option>
                  {policies.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </SelectField>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
