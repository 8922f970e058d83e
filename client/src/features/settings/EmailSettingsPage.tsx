// Settings → Email addresses (/settings/email, admins): the tenant's support addresses, their
// mailbox health, connection tests, and the form to add or change one.
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import {
  CreateEmailAddressDocument,
  DeleteEmailAddressDocument,
  EmailAddressSettingsDocument,
  FetchEmailNowDocument,
  TestImapConnectionDocument,
  TestSmtpConnectionDocument,
  UpdateEmailAddressDocument,
  type EmailAddressFieldsFragment,
  type EmailAddressInput,
  type MailboxHealth,
  type SmtpSecurity,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { fullDateTime, longAgo } from '../../shared/format/time';
import {
  Button,
  Card,
  EmptyState,
  MailIcon,
  Notice,
  PencilIcon,
  PlusIcon,
  SelectField,
  Skeleton,
  TextField,
  TrashIcon,
  cx,
} from '../../shared/ui';
import './settings.css';

type Field = keyof EmailAddressInput;
const FIELDS: readonly string[] = [
  'displayName',
  'address',
  'color',
  'imapHost',
  'imapPort',
  'imapTls',
  'imapUser',
  'imapPassword',
  'imapFolder',
  'smtpHost',
  'smtpPort',
  'smtpSecurity',
  'smtpUser',
  'smtpPassword',
  'isDefault',
  'isActive',
];

type Errors = Partial<Record<Field, string>>;

/** Field errors from BAD_USER_INPUT answers (`extensions.field`), and whatever is left over. */
function fieldErrors(error: unknown): { fields: Errors; other: string | null } {
  const fields: Errors = {};
  let other: string | null = null;
  if (!CombinedGraphQLErrors.is(error)) return { fields, other: connectionMessage(error) };
  for (const item of error.errors) {
    const field = item.extensions?.['field'];
    if (item.extensions?.['code'] === 'BAD_USER_INPUT' && typeof field === 'string' && FIELDS.includes(field)) {
      fields[field as Field] ??= item.message.charAt(0).toUpperCase() + item.message.slice(1);
    } else {
      other ??= item.message;
    }
  }
  return { fields, other };
}

export const PRESET_COLORS = ['#5b5bd6', '#1570ef', '#0e9384', '#17b26a', '#dc6803', '#d92d20', '#dd2590', '#75757f'];

const HEALTH: Record<MailboxHealth, { label: string; tone: string }> = {
  OK: { label: 'Connected', tone: 'ok' },
  ERROR: { label: 'Error', tone: 'error' },
  AUTH_FAILED: { label: 'Sign-in failed', tone: 'error' },
  UNKNOWN: { label: 'Not checked yet', tone: 'unknown' },
};

const SECURITY: Record<SmtpSecurity, string> = {
  NONE: 'None (plain)',
  STARTTLS: 'STARTTLS',
  TLS: 'TLS (implicit)',
};

interface FormState {
  displayName: string;
  address: string;
  color: string;
  imapHost: string;
  imapPort: string;
  imapTls: boolean;
  imapUser: string;
  imapPassword: string;
  imapFolder: string;
  smtpHost: string;
  smtpPort: string;
  smtpSecurity: SmtpSecurity;
  smtpUser: string;
  smtpPassword: string;
  isDefault: boolean;
  isActive: boolean;
}

function initialForm(address: EmailAddressFieldsFragment | null, first: boolean): FormState {
  if (!address) {
    return {
      displayName: '',
      address: '',
      color: PRESET_COLORS[0]!,
      imapHost: '',
      imapPort: '993',
      imapTls: true,
      imapUser: '',
      imapPassword: '',
      imapFolder: 'INBOX',
      smtpHost: '',
      smtpPort: '587',
      smtpSecurity: 'STARTTLS',
      smtpUser: '',
      smtpPassword: '',
      isDefault: first,
      isActive: true,
    };
  }
  return {
    displayName: address.displayName,
    address: address.address,
    color: address.color,
    imapHost: address.imapHost,
    imapPort: String(address.imapPort),
    imapTls: address.imapTls,
    imapUser: address.imapUser,
    imapPassword: '',
    imapFolder: address.imapFolder,
    smtpHost: address.smtpHost,
    smtpPort: String(address.smtpPort),
    smtpSecurity: address.smtpSecurity,
    smtpUser: address.smtpUser ?? '',
    smtpPassword: '',
    isDefault: address.isDefault,
    isActive: address.isActive,
  };
}

function ColorPicker({ value, onChange, error }: { value: string; onChange(color: string): void; error?: string }) {
  return (
    <fieldset className="st-colors">
      <legend className="sb-field__label">Colour</legend>
      <div className="st-colors__row">
        {PRESET_COLORS.map((color) => (
          <button
            key={color}
            type="button"
            className={cx('st-colors__swatch', value.toLowerCase() === color && 'st-colors__swatch--on')}
            style={{ background: color }}
            aria-label={`Colour ${color}`}
            aria-pressed={value.toLowerCase() === color}
            onClick={() => onChange(color)}
          />
        ))}
        <label className="st-colors__custom" title="Pick any colour">
          <input
            type="color"
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-label="Custom colour"
          />
          <span className="st-colors__hex">{value}</span>
        </label>
      </div>
      {error ? (
        <p className="sb-field__error">{error}</p>
      ) : (
        <p className="sb-field__hint">Marks its tickets in the inbox.</p>
      )}
    </fieldset>
  );
}

function Toggle({
  label,
  hint,
  checked,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  checked: boolean;
  onChange(checked: boolean): void;
}) {
  return (
    <label className="st-check">
      <input type="checkbox" checked={checked} onChange={(event) => onChange(event.target.checked)} />
      <span>
        <span className="st-check__label">{label}</span>
        {hint && <span className="st-check__hint">{hint}</span>}
      </span>
    </label>
  );
}

/** The address form's state as the field groups below need it. */
interface FormFields {
  form: FormState;
  errors: Errors;
  set<K extends keyof FormState>(key: K, value: FormState[K]): void;
  /** Editing a stored address: empty passwords keep the stored ones. */
  editing: boolean;
}

/**
 * One mail server's fields: host and port, its security setting, user and password, then anything
 * else the protocol needs (`children`). IMAP and SMTP differ only in labels and the security control.
 */
function ServerFieldGroup({
  protocol,
  title,
  fields: { form, errors, set, editing },
  security,
  userPlaceholder,
  userHint,
  children,
}: {
  protocol: 'imap' | 'smtp';
  title: string;
  fields: FormFields;
  security: ReactNode;
  userPlaceholder?: string;
  userHint?: string;
  children?: ReactNode;
}) {
  const name = protocol.toUpperCase();
  const host = `${protocol}Host` as const;
  const port = `${protocol}Port` as const;
  const user = `${protocol}User` as const;
  const password = `${protocol}Password` as const;
  return (
    <fieldset className="st-group">
      <legend className="st-group__title">{title}</legend>
      <div className="st-form__row st-form__row--host">
        <TextField
          label={`${name} host`}
          placeholder={`${protocol}.company.com`}
          autoComplete="off"
          value={form[host]}
          onChange={(event) => set(host, event.target.value)}
          error={errors[host]}
        />
        <TextField
          label={`${name} port`}
          inputMode="numeric"
          value={form[port]}
          onChange={(event) => set(port, event.target.value)}
          error={errors[port]}
        />
      </div>
      {security}
      <div className="st-form__row">
        <TextField
          label={`${name} user`}
          autoComplete="off"
          placeholder={userPlaceholder}
          value={form[user]}
          onChange={(event) => set(user, event.target.value)}
          error={errors[user]}
          hint={userHint}
        />
        <TextField
          label={`${name} password`}
          type="password"
          autoComplete="new-password"
          placeholder={editing ? '••••••••  (unchanged)' : undefined}
          value={form[password]}
          onChange={(event) => set(password, event.target.value)}
          error={errors[password]}
          hint={editing ? 'Leave empty to keep the stored password.' : undefined}
        />
      </div>
      {children}
    </fieldset>
  );
}

function AddressForm({
  address,
  first,
  onDone,
}: {
  address: EmailAddressFieldsFragment | null;
  first: boolean;
  onDone(saved: EmailAddressFieldsFragment | null): void;
}) {
  const [form, setForm] = useState<FormState>(() => initialForm(address, first));
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [create, creating] = useMutation(CreateEmailAddressDocument, {
    refetchQueries: [EmailAddressSettingsDocument],
    awaitRefetchQueries: true,
  });
  const [update, updating] = useMutation(UpdateEmailAddressDocument, {
    refetchQueries: [EmailAddressSettingsDocument],
    awaitRefetchQueries: true,
  });
  const formRef = useRef<HTMLFormElement>(null);
  const loading = creating.loading || updating.loading;
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((now) => ({ ...now, [key]: value }));
    setErrors((now) => (now[key] ? { ...now, [key]: undefined } : now));
  };
  const editing = address !== null;

  const focusFirstError = () =>
    window.requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (loading) return;
    const local: Errors = {};
    if (!form.displayName.trim()) local.displayName = 'Give the address a name customers will see';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.address.trim()))
      local.address = 'Enter an address like support@company.com';
    if (!form.imapHost.trim()) local.imapHost = 'Enter the IMAP server’s host name';
    if (!form.smtpHost.trim()) local.smtpHost = 'Enter the SMTP server’s host name';
    const imapPort = Number(form.imapPort);
    const smtpPort = Number(form.smtpPort);
    if (!Number.isInteger(imapPort) || imapPort < 1 || imapPort > 65535) local.imapPort = 'Ports are 1–65535';
    if (!Number.isInteger(smtpPort) || smtpPort < 1 || smtpPort > 65535) local.smtpPort = 'Ports are 1–65535';
    if (!form.imapUser.trim()) local.imapUser = 'Enter the IMAP user name';
    if (!editing && !form.imapPassword) local.imapPassword = 'Enter the IMAP password';
    setErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return focusFirstError();
    const input: EmailAddressInput = {
      displayName: form.displayName.trim(),
      address: form.address.trim(),
      color: form.color,
      imapHost: form.imapHost.trim(),
      imapPort,
      imapTls: form.imapTls,
      imapUser: form.imapUser.trim(),
      imapFolder: form.imapFolder.trim() || 'INBOX',
      smtpHost: form.smtpHost.trim(),
      smtpPort,
      smtpSecurity: form.smtpSecurity,
      smtpUser: form.smtpUser.trim() || null,
      isDefault: form.isDefault,
      isActive: form.isActive,
      // Write-only: left out when empty on edit, so the stored one stays.
      ...(form.imapPassword ? { imapPassword: form.imapPassword } : {}),
      ...(form.smtpPassword ? { smtpPassword: form.smtpPassword } : {}),
    };
    try {
      if (address) {
        const { data } = await update({ variables: { id: address.id, input } });
        onDone(data?.updateEmailAddress ?? null);
      } else {
        const { data } = await create({ variables: { input } });
        onDone(data?.createEmailAddress ?? null);
      }
    } catch (error) {
      const { fields, other } = fieldErrors(error);
      setErrors(fields);
      setProblem(other ?? (Object.keys(fields).length ? null : 'The address was not saved. Please try again.'));
      focusFirstError();
    }
  };

  const fields: FormFields = { form, errors, set, editing };

  return (
    <Card padding="lg" as="section" className="st-form-card" aria-labelledby="st-form-title">
      <form
        ref={formRef}
        className="st-form"
        onSubmit={onSubmit}
        noValidate
        aria-label={editing ? 'Edit address' : 'New address'}
      >
        <header className="st-form__header">
          <span className="st-swatch st-swatch--lg" style={{ background: form.color }} aria-hidden="true" />
          <div>
            <h2 className="st-form__title" id="st-form-title">
              {editing ? `Edit ${address.displayName}` : 'New support address'}
            </h2>
            <p className="st-form__lead">Mail to this address becomes tickets; replies to customers go out from it.</p>
          </div>
        </header>
        {problem && (
          <Notice tone="danger" title="The address was not saved">
            {problem}
          </Notice>
        )}
        <div className="st-form__row">
          <TextField
            label="Display name"
            placeholder="Acme Support"
            value={form.displayName}
            onChange={(event) => set('displayName', event.target.value)}
            error={errors.displayName}
            autoFocus
          />
          <TextField
            label="Email address"
            type="email"
            placeholder="support@company.com"
            autoComplete="off"
            value={form.address}
            onChange={(event) => set('address', event.target.value)}
            error={errors.address}
          />
        </div>
        <ColorPicker value={form.color} onChange={(color) => set('color', color)} error={errors.color} />

        <ServerFieldGroup
          protocol="imap"
          title="Incoming mail (IMAP)"
          fields={fields}
          security={
            <Toggle
              label="Use TLS"
              hint="Usually on, with port 993."
              checked={form.imapTls}
              onChange={(checked) => {
                set('imapTls', checked);
                if (form.imapPort === '993' && !checked) set('imapPort', '143');
                if (form.imapPort === '143' && checked) set('imapPort', '993');
              }}
            />
          }
        >
          <TextField
            label="Folder"
            value={form.imapFolder}
            onChange={(event) => set('imapFolder', event.target.value)}
            error={errors.imapFolder}
            hint="New mail is read from this folder."
          />
        </ServerFieldGroup>

        <ServerFieldGroup
          protocol="smtp"
          title="Outgoing mail (SMTP)"
          fields={fields}
          userPlaceholder="Same as the address, usually"
          userHint={editing ? undefined : 'Leave empty if the server needs no sign-in.'}
          security={
            <SelectField
              label="Security"
              value={form.smtpSecurity}
              onChange={(event) => {
                const next = event.target.value as SmtpSecurity;
                const defaults: Record<SmtpSecurity, string> = { NONE: '25', STARTTLS: '587', TLS: '465' };
                if (Object.values(defaults).includes(form.smtpPort)) set('smtpPort', defaults[next]);
                set('smtpSecurity', next);
              }}
              error={errors.smtpSecurity}
              hint="STARTTLS on port 587 suits most providers."
            >
              {(Object.keys(SECURITY) as SmtpSecurity[]).map((value) => (
                <option key={value} value={value}>
                  {SECURITY[value]}
                </option>
              ))}
            </SelectField>
          }
        />

        <div className="st-form__toggles">
          <Toggle
            label="Default address"
            hint="Used for tickets created by hand and mail without a known address."
            checked={form.isDefault}
            onChange={(checked) => set('isDefault', checked)}
          />
          <Toggle
            label="Active"
            hint="Inactive addresses are not fetched and cannot send."
            checked={form.isActive}
            onChange={(checked) => set('isActive', checked)}
          />
        </div>
        <div className="st-form__actions">
          <Button variant="ghost" onClick={() => onDone(null)}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={loading}>
            {editing ? 'Save changes' : 'Add address'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

type OutcomeKind = 'imap' | 'smtp' | 'fetch' | 'delete';

interface Outcome {
  ok: boolean;
  title: string;
  message: string;
}

function AddressRow({ address, onEdit }: { address: EmailAddressFieldsFragment; onEdit(): void }) {
  const [outcomes, setOutcomes] = useState<Partial<Record<OutcomeKind, Outcome>>>({});
  const setOutcome = (kind: OutcomeKind, outcome: Outcome | null) =>
    setOutcomes((now) => {
      const next = { ...now };
      if (outcome) next[kind] = outcome;
      else delete next[kind];
      return next;
    });
  const [confirming, setConfirming] = useState(false);
  const refetch = { refetchQueries: [EmailAddressSettingsDocument] };
  const [testImap, imap] = useMutation(TestImapConnectionDocument, refetch);
  const [testSmtp, smtp] = useMutation(TestSmtpConnectionDocument, refetch);
  const [fetchNow, fetching] = useMutation(FetchEmailNowDocument);
  const [remove, removing] = useMutation(DeleteEmailAddressDocument, {
    refetchQueries: [EmailAddressSettingsDocument],
    awaitRefetchQueries: true,
  });
  const health = HEALTH[address.health];

  const run = async (kind: OutcomeKind, title: string, action: () => Promise<Outcome>) => {
    setOutcome(kind, null);
    try {
      setOutcome(kind, await action());
    } catch (error) {
      setOutcome(kind, { ok: false, title, message: graphQLErrorMessage(error) ?? connectionMessage(error) });
    }
  };

  return (
    <li className={cx('st-address', !address.isActive && 'st-address--inactive')} aria-label={address.displayName}>
      <div className="st-address__main">
        <span
          className="st-swatch"
          style={{ background: address.color }}
          title={`Colour ${address.color}`}
          data-color={address.color}
          aria-hidden="true"
        />
        <div className="st-address__who">
          <div className="st-address__name">
            <strong>{address.displayName}</strong>
            {address.isDefault && <span className="st-badge st-badge--accent">Default</span>}
            {!address.isActive && <span className="st-badge">Inactive</span>}
          </div>
          <div className="st-address__email">{address.address}</div>
        </div>
        <div className="st-address__status">
          <span className={cx('st-health', `st-health--${health.tone}`)}>
            <span className="st-health__dot" aria-hidden="true" />
            {health.label}
          </span>
          <span className="st-address__meta">
            {address.lastCheckAt ? (
              <time dateTime={address.lastCheckAt} title={fullDateTime(new Date(address.lastCheckAt))}>
                Checked {longAgo(new Date(address.lastCheckAt))}
              </time>
            ) : (
              'Never checked'
            )}
            {' · '}
            {address.processedCount === 1 ? '1 mail' : `${address.processedCount.toLocaleString()} mails`} processed
          </span>
        </div>
      </div>
      <div className="st-address__servers">
        <span>
          IMAP {address.imapHost}:{address.imapPort}
          {address.imapTls ? ' · TLS' : ''}
        </span>
        <span>
          SMTP {address.smtpHost}:{address.smtpPort} · {SECURITY[address.smtpSecurity]}
        </span>
      </div>
      {address.lastError && (
        <p className="st-address__error">
          <span className="st-address__error-label">Last error:</span> {address.lastError}
        </p>
      )}
      {(['smtp', 'imap', 'fetch', 'delete'] as const).map((kind) => {
        const outcome = outcomes[kind];
        return (
          outcome && (
            <Notice
              key={kind}
              tone={outcome.ok ? 'success' : 'danger'}
              title={outcome.title}
              onDismiss={() => setOutcome(kind, null)}
            >
              {outcome.message}
            </Notice>
          )
        );
      })}
      <div className="st-address__actions">
        <Button
          size="sm"
          loading={imap.loading}
          onClick={() =>
            run('imap', 'IMAP test failed', async () => {
              const { data } = await testImap({ variables: { id: address.id } });
              const result = data?.testImapConnection;
              return {
                ok: result?.ok ?? false,
                title: result?.ok ? 'IMAP connection works' : 'IMAP connection failed',
                message: result?.message ?? '',
              };
            })
          }
        >
          Test IMAP
        </Button>
        <Button
          size="sm"
          loading={smtp.loading}
          onClick={() =>
            run('smtp', 'SMTP test failed', async () => {
              const { data } = await testSmtp({ variables: { id: address.id } });
              const result = data?.testSmtpConnection;
              return {
                ok: result?.ok ?? false,
                title: result?.ok ? 'SMTP connection works' : 'SMTP connection failed',
                message: result?.message ?? '',
              };
            })
          }
        >
          Test SMTP
        </Button>
        <Button
          size="sm"
          loading={fetching.loading}
          disabled={!address.isActive}
          title={address.isActive ? undefined : 'Inactive addresses are not fetched'}
          onClick={() =>
            run('fetch', 'Fetching failed', async () => {
              await fetchNow({ variables: { id: address.id } });
              return { ok: true, title: 'Fetching now', message: 'New mail will show up in the inbox in a moment.' };
            })
          }
        >
          Fetch now
        </Button>
        <span className="st-address__spacer" />
        {confirming ? (
          <span className="st-confirm" role="group" aria-label="Confirm delete">
            <span>Delete {address.address}? Its tickets stay.</span>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              Keep
            </Button>
            <Button
              size="sm"
              variant="danger"
              loading={removing.loading}
              onClick={() =>
                void remove({ variables: { id: address.id } }).catch((error: unknown) => {
                  setConfirming(false);
                  setOutcome('delete', {
                    ok: false,
                    title: 'The address was not deleted',
                    message: graphQLErrorMessage(error) ?? connectionMessage(error),
                  });
                })
              }
            >
              Delete
            </Button>
          </span>
        ) : (
          <>
            <Button size="sm" variant="ghost" icon={<PencilIcon size={14} />} onClick={onEdit}>
              Edit
            </Button>
            <Button
              size="sm"
              variant="ghost"
              icon={<TrashIcon size={14} />}
              onClick={() => setConfirming(true)}
              aria-label={`Delete ${address.displayName}`}
            >
              Delete
            </Button>
          </>
        )}
      </div>
    </li>
  );
}

export function EmailSettingsPage() {
  const { data, loading, error } = useQuery(EmailAddressSettingsDocument);
  const [editing, setEditing] = useState<'new' | string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const addresses = data?.emailAddresses ?? [];
  const editedAddress = editing && editing !== 'new' ? (addresses.find((a) => a.id === editing) ?? null) : null;

  const onDone = (address: EmailAddressFieldsFragment | null) => {
    setSaved(
      address
        ? editing === 'new'
          ? `${address.address} was added. Test its connections below.`
          : `${address.address} was saved.`
        : null,
    );
    setEditing(null);
  };

  return (
    <div className="sb-page st-page">
      <title>Email addresses · Settings · Switchboard</title>
      <header className="st-page__header">
        <div className="sb-page__header">
          <span className="sb-page__eyebrow">Settings</span>
          <h1 className="sb-page__title">Email addresses</h1>
          <p className="sb-page__lead">The addresses customers write to. Each mailbox is checked for new mail.</p>
        </div>
        {editing === null && addresses.length > 0 && (
          <Button
            variant="primary"
            icon={<PlusIcon size={16} />}
            onClick={() => {
              setSaved(null);
              setEditing('new');
            }}
          >
            Add address
          </Button>
        )}
      </header>
      {saved && (
        <Notice tone="success" onDismiss={() => setSaved(null)}>
          {saved}
        </Notice>
      )}
      {editing !== null && (editing === 'new' || editedAddress) && (
        <AddressForm key={editing} address={editedAddress} first={addresses.length === 0} onDone={onDone} />
      )}
      {error && !data ? (
        <Notice tone="danger" title="The addresses could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : loading && !data ? (
        <Card padding="none" className="st-list">
          {[0, 1].map((i) => (
            <div key={i} className="st-address">
              <Skeleton width="60%" height={16} />
              <Skeleton width="40%" height={12} />
            </div>
          ))}
        </Card>
      ) : addresses.length === 0 ? (
        editing === null && (
          <Card>
            <EmptyState
              icon={<MailIcon size={22} />}
              title="No support address yet"
              action={
                <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setEditing('new')}>
                  Add address
                </Button>
              }
            >
              Connect a mailbox and mail to it becomes tickets.
            </EmptyState>
          </Card>
        )
      ) : (
        <Card padding="none" as="section" className="st-list" aria-label="Support addresses">
          <ul className="st-list__items" aria-label="Email addresses">
            {addresses.map((address) => (
              <AddressRow
                key={address.id}
                address={address}
                onEdit={() => {
                  setSaved(null);
                  setEditing(address.id);
                  window.scrollTo({ top: 0, behavior: 'smooth' });
                }}
              />
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
