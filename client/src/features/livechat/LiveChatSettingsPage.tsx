// Settings → Chat widget (/settings/livechat, admins): turn the widget on, say which sites may
// embed it, how it greets visitors, when unanswered chats become tickets, and its rate limits.
import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  LiveChatSettingsDocument,
  RegenerateLiveChatWidgetKeyDocument,
  UpdateLiveChatSettingsDocument,
  type LiveChatSettingsFieldsFragment,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { Button, Card, Notice, Skeleton, TextArea, TextField, useToast } from '../../shared/ui';
import './livechat.css';

interface Form {
  enabled: boolean;
  origins: string;
  askForContact: boolean;
  requireEmail: boolean;
  greeting: string;
  color: string;
  autoTicketAfterMinutes: string;
  visitorMessagesPerMinute: string;
  conversationsPerHourPerIp: string;
}

function formOf(s: LiveChatSettingsFieldsFragment): Form {
  return {
    enabled: s.enabled,
    origins: s.allowedOrigins.join('\n'),
    askForContact: s.askForContact,
    requireEmail: s.requireEmail,
    greeting: s.greeting,
    color: s.color,
    autoTicketAfterMinutes: String(s.autoTicketAfterMinutes ?? 0),
    visitorMessagesPerMinute: String(s.visitorMessagesPerMinute),
    conversationsPerHourPerIp: String(s.conversationsPerHourPerIp),
  };
}

export function embedSnippet(publicKey: string): string {
  return `<script src="${window.location.origin}/widget.js" data-widget-key="${publicKey}" async></script>`;
}

export function LiveChatSettingsPage() {
  const { data, error } = useQuery(LiveChatSettingsDocument);
  return (
    <div className="sb-page lc-settings">
      <title>Chat widget · Settings · Switchboard</title>
      <header className="sb-page__header">
        <span className="sb-page__eyebrow">Settings</span>
        <h1 className="sb-page__title">Chat widget</h1>
        <p className="sb-page__lead">Let visitors of your website chat with your team live.</p>
      </header>
      {error && !data ? (
        <Notice tone="danger" title="The widget settings could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !data ? (
        <Card>
          <Skeleton width="40%" height={16} />
        </Card>
      ) : (
        <SettingsForm settings={data.liveChatSettings} />
      )}
    </div>
  );
}

function Check(props: { label: string; hint?: string; checked: boolean; onChange(value: boolean): void }) {
  return (
    <label className="lc-check">
      <input type="checkbox" checked={props.checked} onChange={(e) => props.onChange(e.target.checked)} />
      <span>
        <span className="lc-check__label">{props.label}</span>
        {props.hint && <span className="lc-check__hint">{props.hint}</span>}
      </span>
    </label>
  );
}

function SettingsForm({ settings }: { settings: LiveChatSettingsFieldsFragment }) {
  const toast = useToast();
  const [form, setForm] = useState(() => formOf(settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(UpdateLiveChatSettingsDocument);
  const [regenerate, regenerating] = useMutation(RegenerateLiveChatWidgetKeyDocument);
  useEffect(() => setForm(formOf(settings)), [settings]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const snippet = embedSnippet(settings.publicKey);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      await save({
        variables: {
          input: {
            enabled: form.enabled,
            allowedOrigins: form.origins.split(/[\s,]+/).filter(Boolean),
            askForContact: form.askForContact,
            requireEmail: form.requireEmail,
            greeting: form.greeting,
            color: form.color,
            autoTicketAfterMinutes: Number(form.autoTicketAfterMinutes) || 0,
            visitorMessagesPerMinute: Number(form.visitorMessagesPerMinute),
            conversationsPerHourPerIp: Number(form.conversationsPerHourPerIp),
          },
        },
      });
      setProblem(null);
      toast.show('Chat widget settings saved', 'success');
    } catch (error) {
      setProblem(graphQLErrorMessage(error) ?? connectionMessage(error));
    }
  };

  const newKey = async () => {
    if (!window.confirm('Sites using the current key stop showing the chat until you paste the new tag. Continue?'))
      return;
    try {
      await regenerate();
      toast.show('New widget key created: update the tag on your site', 'success');
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? 'The key could not be changed');
    }
  };

  return (
    <form className="lc-settings__form" onSubmit={(e) => void submit(e)}>
      <Card padding="lg" as="section" aria-labelledby="lc-embed-title">
        <h2 className="lc-settings__title" id="lc-embed-title">
          Add it to your site
        </h2>
        <p className="lc-settings__lead">
          Paste this tag before the closing &lt;/body&gt; of every page with the chat.
        </p>
        <pre className="lc-snippet" aria-label="Embed code">
          <code>{snippet}</code>
        </pre>
        <div className="lc-settings__row">
          <Button
            type="button"
            variant="secondary"
            size="sm"
            onClick={() =>
              void navigator.clipboard?.writeText(snippet).then(
                () => toast.show('Copied', 'success'),
                () => toast.error('Copy it by hand: the browser refused'),
              )
            }
          >
            Copy tag
          </Button>
          <Button type="button" variant="ghost" size="sm" loading={regenerating.loading} onClick={() => void newKey()}>
            Regenerate key
          </Button>
        </div>
      </Card>

      <Card padding="lg" as="section" aria-labelledby="lc-behaviour-title">
        <h2 className="lc-settings__title" id="lc-behaviour-title">
          Behaviour
        </h2>
        <Check
          label="Chat widget enabled"
          hint="Visitors on the sites below see the chat button."
          checked={form.enabled}
          onChange={(v) => set('enabled', v)}
        />
        <TextArea
          label="Allowed sites"
          hint="One origin per line, e.g. https://www.example.com or https://*.example.com. Other sites are refused."
          rows={3}
          value={form.origins}
          onChange={(e) => set('origins', e.target.value)}
        />
        <Check
          label="Ask for name and email before the chat starts"
          checked={form.askForContact}
          onChange={(v) => set('askForContact', v)}
        />
        {form.askForContact && (
          <Check
            label="Email address required"
            hint="Without it, visitors may skip the email."
            checked={form.requireEmail}
            onChange={(v) => set('requireEmail', v)}
          />
        )}
        <TextArea
          label="Greeting"
          rows={2}
          maxLength={500}
          value={form.greeting}
          onChange={(e) => set('greeting', e.target.value)}
        />
        <div className="lc-settings__row">
          <label className="lc-color">
            <span className="sb-field__label">Colour</span>
            <input type="color" value={form.color} onChange={(e) => set('color', e.target.value)} />
            <span className="lc-color__hex">{form.color}</span>
          </label>
          <TextField
            label="Turn into a ticket after (minutes)"
            hint="When the visitor left an email and no agent answered. 0: never."
            type="number"
            min={0}
            max={10080}
            value={form.autoTicketAfterMinutes}
            onChange={(e) => set('autoTicketAfterMinutes', e.target.value)}
          />
        </div>
      </Card>

      <Card padding="lg" as="section" aria-labelledby="lc-limits-title">
        <h2 className="lc-settings__title" id="lc-limits-title">
          Rate limits
        </h2>
        <div className="lc-settings__row">
          <TextField
            label="Messages per visitor per minute"
            type="number"
            min={1}
            max={600}
            value={form.visitorMessagesPerMinute}
            onChange={(e) => set('visitorMessagesPerMinute', e.target.value)}
          />
          <TextField
            label="New chats per address per hour"
            type="number"
            min={1}
            max={1000}
            value={form.conversationsPerHourPerIp}
            onChange={(e) => set('conversationsPerHourPerIp', e.target.value)}
          />
        </div>
      </Card>

      {problem && (
        <Notice tone="danger" title="Not saved">
          {problem}
        </Notice>
      )}
      <div className="lc-settings__actions">
        <Button type="submit" loading={saving.loading}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
