// My email identity (/account/email, agents): send public replies from your own address through
// your own SMTP server (seed 004). The password is write-only; if your server fails, replies go
// out from the ticket's support address and the error shows here.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  DeleteMySmtpIdentityDocument,
  MySmtpIdentityDocument,
  SaveMySmtpIdentityDocument,
  TestMySmtpIdentityDocument,
  type SmtpIdentityFieldsFragment,
  type SmtpSecurity,
} from '../../gql/graphql';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { fullDateTime } from '../../shared/format/time';
import { Button, Card, Notice, SelectField, Skeleton, TextField, useToast } from '../../shared/ui';
import '../settings/settings.css';
import './account.css';

interface Form {
  fromAddress: string;
  fromName: string;
  host: string;
  port: string;
  security: SmtpSecurity;
  username: string;
  password: string;
}

function formOf(identity: SmtpIdentityFieldsFragment | null | undefined): Form {
  return {
    fromAddress: identity?.fromAddress ?? '',
    fromName: identity?.fromName ?? '',
    host: identity?.host ?? '',
    port: String(identity?.port ?? 587),
    security: identity?.security ?? 'STARTTLS',
    username: identity?.username ?? '',
    password: '',
  };
}

export function SmtpIdentityPage() {
  const { data, error } = useQuery(MySmtpIdentityDocument);
  return (
    <div className="sb-page st-page">
      <title>My email identity · Switchboard</title>
      <header className="sb-page__header">
        <span className="sb-page__eyebrow">Your account</span>
        <h1 className="sb-page__title">My email identity</h1>
        <p className="sb-page__lead">
          Send your public replies from your own address through your own mail server, so customers see you and your
          Sent folder keeps a copy. Customers&apos; answers still come back to the ticket. Without this, or if your
          server fails, replies go out from the ticket&apos;s support address.
        </p>
      </header>
      {error && !data ? (
        <Notice tone="danger" title="Your settings could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !data ? (
        <Card>
          <Skeleton width="40%" height={16} />
        </Card>
      ) : (
        <IdentityForm key={data.mySmtpIdentity ? 'saved' : 'new'} identity={data.mySmtpIdentity ?? null} />
      )}
    </div>
  );
}

function IdentityForm({ identity }: { identity: SmtpIdentityFieldsFragment | null }) {
  const toast = useToast();
  const [form, setForm] = useState<Form>(() => formOf(identity));
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null);
  const refetch = { refetchQueries: [MySmtpIdentityDocument] };
  const [save, saving] = useMutation(SaveMySmtpIdentityDocument, refetch);
  const [remove, removing] = useMutation(DeleteMySmtpIdentityDocument, refetch);
  const [test, testing] = useMutation(TestMySmtpIdentityDocument, refetch);
  const set = (field: keyof Form) => (event: { target: { value: string } }) =>
    setForm((current) => ({ ...current, [field]: event.target.value }));
  const errorFor = (field: string) => (fieldError?.field === field ? fieldError.message : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFieldError(null);
    setTestResult(null);
    try {
      await save({
        variables: {
          input: {
            fromAddress: form.fromAddress,
            fromName: form.fromName || null,
            host: form.host,
            port: Number(form.port),
            security: form.security,
            username: form.username || null,
            password: form.password || null,
          },
        },
      });
      setForm((current) => ({ ...current, password: '' }));
      toast.show('Your email identity is saved', 'success');
    } catch (error) {
      const message = graphQLErrorMessage(error) ?? 'Your settings were not saved';
      const field = fieldOf(error);
      if (field) setFieldError({ field, message });
      else toast.error(message);
    }
  };

  return (
    <form className="sb-card st-form ac-identity" onSubmit={(event) => void submit(event)} noValidate>
      {identity?.lastError && (
        <Notice tone="warning" title="Your mail server failed the last time">
          {identity.lastError}. Replies went out from the ticket&apos;s address instead.
        </Notice>
      )}
      {identity?.lastUsedAt && !identity.lastError && (
        <p className="ac-identity__hint">
          Last reply sent through your server {fullDateTime(new Date(identity.lastUsedAt))}.
        </p>
      )}
      <div className="ac-identity__grid">
        <TextField
          label="From address"
          type="email"
          autoComplete="email"
          value={form.fromAddress}
          onChange={set('fromAddress')}
          error={errorFor('fromAddress')}
          required
        />
        <TextField label="From name" value={form.fromName} onChange={set('fromName')} hint="Your name if empty" />
        <TextField
          label="SMTP server"
          autoComplete="off"
          value={form.host}
          onChange={set('host')}
          error={errorFor('host')}
          required
        />
        <TextField
          label="Port"
          inputMode="numeric"
          value={form.port}
          onChange={set('port')}
          error={errorFor('port')}
          required
        />
        <SelectField
          label="Security"
          value={form.security}
          onChange={(event) => setForm((current) => ({ ...current, security: event.target.value as SmtpSecurity }))}
        >
          <option value="STARTTLS">STARTTLS (port 587)</option>
          <option value="TLS">TLS (port 465)</option>
          <option value="NONE">None</option>
        </SelectField>
        <TextField label="Username" autoComplete="off" value={form.username} onChange={set('username')} />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          value={form.password}
          onChange={set('password')}
          placeholder={identity?.hasPassword ? 'Saved (leave empty to keep)' : 'An app password, for example'}
          hint="Stored encrypted; it is never shown again."
        />
      </div>
      {testResult && (
        <Notice
          tone={testResult.ok ? 'success' : 'danger'}
          title={testResult.ok ? 'Connection works' : 'Connection failed'}
        >
          {testResult.message}
        </Notice>
      )}
      <div className="st-form__actions">
        <Button type="submit" variant="primary" loading={saving.loading}>
          Save
        </Button>
        {identity && (
          <>
            <Button
              type="button"
              variant="secondary"
              loading={testing.loading}
              onClick={async () => {
                try {
                  const { data } = await test();
                  setTestResult(data?.testMySmtpIdentity ?? null);
                } catch (error) {
                  toast.error(graphQLErrorMessage(error) ?? 'The test did not run');
                }
              }}
            >
              Test connection
            </Button>
            <Button
              type="button"
              variant="ghost"
              loading={removing.loading}
              onClick={async () => {
                try {
                  await remove();
                  toast.show('Replies go out from the ticket’s address again', 'success');
                } catch (error) {
                  toast.error(graphQLErrorMessage(error) ?? 'Your identity was not removed');
                }
              }}
            >
              Stop using my own server
            </Button>
          </>
        )}
      </div>
    </form>
  );
}

/** The field a BAD_USER_INPUT answer names (`extensions.field`). */
function fieldOf(error: unknown): string | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const field = error.errors[0]?.extensions?.['field'];
  return typeof field === 'string' ? field : null;
}
