// Settings → Templates (/settings/templates, admins): the mail sent per event, edited with a live
// preview rendered by the server with sample values.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import {
  MailTemplatesDocument,
  PreviewMailTemplateDocument,
  SaveMailTemplateDocument,
  type MailTemplateEvent,
  type MailTemplatesQuery,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { Button, Card, Notice, Skeleton, Spinner, TextArea, TextField, useToast } from '../../shared/ui';
import { MAIL_TEMPLATE_EVENTS } from '../../shared/labels/kinds';
import './settings.css';

type Template = MailTemplatesQuery['mailTemplates'][number];

export const TEMPLATE_VARIABLES = [
  'ticket_number',
  'subject',
  'description',
  'status',
  'priority',
  'urgency',
  'importance',
  'assigned_to',
  'created_by',
  'created_at',
  'client_name',
  'site_name',
  'ticket_url',
  'comment',
  'resolution_notes',
  'reset_url',
  'recipient_name',
  'notification_title',
  'notification_kind',
  'notification_url',
  'notification_count',
  'notifications',
  'preferences_url',
] as const;

/** The value, settled for `delayMs`. */
function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delayMs);
    return () => window.clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function TemplateEditor({ template }: { template: Template }) {
  const toast = useToast();
  const [subject, setSubject] = useState(template.subject);
  const [body, setBody] = useState(template.body);
  const [enabled, setEnabled] = useState(template.enabled);
  const [errors, setErrors] = useState<{ subject?: string; body?: string }>({});
  const [problem, setProblem] = useState<string | null>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [save, saving] = useMutation(SaveMailTemplateDocument, { refetchQueries: [MailTemplatesDocument] });
  const previewVariables = useDebounced({ subject, body }, 300);
  const preview = useQuery(PreviewMailTemplateDocument, { variables: previewVariables });
  const shown = preview.data ?? preview.previousData;
  const stale = previewVariables.subject !== subject || previewVariables.body !== body || preview.loading;
  const changed = subject !== template.subject || body !== template.body || enabled !== template.enabled;

  const insert = (variable: string) => {
    const text = `{{ ${variable} }}`;
    const area = bodyRef.current;
    const start = area?.selectionStart ?? body.length;
    const end = area?.selectionEnd ?? body.length;
    setBody(body.slice(0, start) + text + body.slice(end));
    window.requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const local: { subject?: string; body?: string } = {};
    if (!subject.trim()) local.subject = 'The mail needs a subject';
    if (!body.trim()) local.body = 'The mail needs a text';
    setErrors(local);
    setProblem(null);
    if (local.subject || local.body) return;
    try {
      await save({ variables: { input: { event: template.event, subject, body, enabled } } });
      toast.show(`“${MAIL_TEMPLATE_EVENTS[template.event].label}” template saved`, 'success');
    } catch (error) {
      const next: { subject?: string; body?: string } = {};
      let other: string | null = null;
      if (CombinedGraphQLErrors.is(error)) {
        for (const item of error.errors) {
          const field = item.extensions?.['field'];
          if (field === 'subject' || field === 'body') next[field] ??= item.message;
          else other ??= item.message;
        }
      } else {
        other = connectionMessage(error);
      }
      setErrors(next);
      setProblem(other);
    }
  };

  const previewError = preview.error ? (graphQLErrorMessage(preview.error) ?? connectionMessage(preview.error)) : null;

  return (
    <Card padding="lg" as="section" aria-labelledby="st-template-title">
      <form className="st-templates__editor" onSubmit={onSubmit} noValidate aria-label="Template">
        <header className="st-form__header">
          <div>
            <h2 className="st-form__title" id="st-template-title">
              {MAIL_TEMPLATE_EVENTS[template.event].label}
            </h2>
            <p className="st-form__lead">{MAIL_TEMPLATE_EVENTS[template.event].when}</p>
          </div>
        </header>
        {problem && (
          <Notice tone="danger" title="The template was not saved">
            {problem}
          </Notice>
        )}
        <label className="st-check">
          <input type="checkbox" checked={enabled} onChange={(event) => setEnabled(event.target.checked)} />
          <span>
            <span className="st-check__label">Send this mail</span>
            <span className="st-check__hint">When off, nothing is sent for this event.</span>
          </span>
        </label>
        <TextField
          label="Subject"
          value={subject}
          onChange={(event) => setSubject(event.target.value)}
          error={errors.subject}
        />
        <TextArea
          ref={bodyRef}
          label="Text"
          rows={10}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          error={errors.body}
          hint={
            <>
              Liquid syntax: <code>{'{{ subject }}'}</code>, <code>{'{% if comment != "" %}…{% endif %}'}</code>
            </>
          }
        />
        <div className="sb-field">
          <span className="sb-field__label">Variables</span>
          <ul className="st-variables" aria-label="Variables">
            {TEMPLATE_VARIABLES.map((variable) => (
              <li key={variable}>
                <button type="button" onClick={() => insert(variable)} title={`Insert {{ ${variable} }}`}>
                  <code>{`{{ ${variable} }}`}</code>
                </button>
              </li>
            ))}
          </ul>
          <p className="sb-field__hint">
            Click one to insert it at the cursor. reset_url is only set for password resets; the notification variables
            only in agent notifications and digests (loop over a digest with{' '}
            <code>{'{% for n in notifications %}{{ n.title }} {{ n.url }}{% endfor %}'}</code>).
          </p>
        </div>
        <section className={`st-preview${stale ? ' st-preview--stale' : ''}`} aria-label="Preview" aria-busy={stale}>
          <div className="st-preview__bar">
            <span>Preview with sample values</span>
            {stale && <Spinner />}
          </div>
          {previewError ? (
            <div className="st-preview__text">
              <Notice tone="warning" title="The template does not render">
                {previewError}
              </Notice>
            </div>
          ) : shown ? (
            <>
              <p className="st-preview__subject">{shown.previewMailTemplate.subject}</p>
              <pre className="st-preview__text">{shown.previewMailTemplate.text}</pre>
            </>
          ) : (
            <div className="st-preview__text">
              <Skeleton width="50%" height={14} />
            </div>
          )}
        </section>
        <div className="st-form__actions">
          <Button
            variant="ghost"
            disabled={!changed}
            onClick={() => {
              setSubject(template.subject);
              setBody(template.body);
              setEnabled(template.enabled);
              setErrors({});
            }}
          >
            Discard changes
          </Button>
          <Button type="submit" variant="primary" loading={saving.loading} disabled={!changed}>
            Save template
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function TemplatesPage() {
  const { data, error } = useQuery(MailTemplatesDocument);
  const [selected, setSelected] = useState<MailTemplateEvent>('TICKET_CREATED');
  const templates = data?.mailTemplates ?? [];
  const template = templates.find((item) => item.event === selected) ?? templates[0];

  return (
    <div className="sb-page st-page">
      <title>Templates · Settings · Switchboard</title>
      <header className="sb-page__header">
        <span className="sb-page__eyebrow">Settings</span>
        <h1 className="sb-page__title">Mail templates</h1>
        <p className="sb-page__lead">What customers and agents receive by mail, per event.</p>
      </header>
      {error && !data ? (
        <Notice tone="danger" title="The templates could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !data ? (
        <Card>
          <Skeleton width="40%" height={16} />
        </Card>
      ) : (
        <div className="st-templates">
          <nav className="sb-card" aria-label="Events">
            <ul className="st-templates__list">
              {templates.map((item) => (
                <li key={item.event}>
                  <button
                    type="button"
                    className="st-templates__item"
                    aria-current={item.event === template?.event ? 'true' : undefined}
                    onClick={() => setSelected(item.event)}
                  >
                    <span className="st-templates__item-name">{MAIL_TEMPLATE_EVENTS[item.event].label}</span>
                    <span className="st-templates__item-meta">
                      {item.enabled ? 'On' : 'Off'} · {item.custom ? 'Customised' : 'Built-in wording'}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          {template && <TemplateEditor key={template.event} template={template} />}
        </div>
      )}
    </div>
  );
}
