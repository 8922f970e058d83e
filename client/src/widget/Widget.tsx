/** @jsxImportSource preact */
// The chat widget: a launcher, and a panel with the conversation, the optional name/email form,
// live agent replies and typing, and "email me the transcript". Visitor and agent text is only
// ever rendered as text (never as HTML).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useMutation, useQuery, useSubscription } from '@urql/preact';
import {
  ConversationQuery,
  EventsSubscription,
  SendMutation,
  StartMutation,
  TranscriptMutation,
  TypingMutation,
  WidgetQuery,
  type Conversation,
  type Message,
  type Status,
  type WidgetConnection,
} from './api';

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;
const AGENT_TYPING_TIMEOUT_MS = 8_000;

function errorText(
  error:
    | { graphQLErrors: Array<{ message: string; extensions?: Record<string, unknown> }>; networkError?: Error }
    | undefined,
) {
  if (!error) return null;
  return error.graphQLErrors[0]?.message ?? 'We could not reach the support team. Please try again.';
}

function isGone(
  error: { response?: { status?: number }; graphQLErrors: Array<{ extensions?: Record<string, unknown> }> } | undefined,
) {
  return Boolean(error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED'));
}

export function Widget({ connection }: { connection: WidgetConnection }) {
  const [open, setOpen] = useState(false);
  const [token, setToken] = useState(connection.tokens.token);
  const [messages, setMessages] = useState<Message[]>([]);
  const [conversation, setConversation] = useState<Omit<Conversation, 'messages'> | null>(null);
  const [agentTyping, setAgentTyping] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const openRef = useRef(open);
  openRef.current = open;
  const [{ data: info }] = useQuery({ query: WidgetQuery });
  const [loaded, reload] = useQuery({ query: ConversationQuery, pause: !token });

  const adopt = (c: Conversation) => {
    const { messages: list, ...rest } = c;
    setConversation(rest);
    setMessages((current) => merge(current, list));
  };

  useEffect(() => {
    if (loaded.data?.conversation) adopt(loaded.data.conversation);
    if (isGone(loaded.error)) forget();
  }, [loaded.data, loaded.error]);

  const forget = () => {
    connection.tokens.set(null);
    connection.reconnect();
    setToken(null);
    setConversation(null);
    setMessages([]);
  };

  useSubscription({ query: EventsSubscription, pause: !token }, (_previous, event) => {
    const e = event.conversationEvents;
    if (e.kind === 'TYPING') {
      setAgentTyping(e.typing ? (e.agentName ?? 'An agent') : null);
    } else {
      setConversation((c) => (c ? { ...c, status: e.status } : c));
      if (e.message) {
        const message = e.message;
        setMessages((current) => merge(current, [message]));
        if (message.author === 'AGENT') setAgentTyping(null);
        if (!openRef.current && message.author !== 'VISITOR') setUnread((n) => n + 1);
      }
      if (e.kind === 'UPDATED') reload({ requestPolicy: 'network-only' });
    }
    return event;
  });

  useEffect(() => {
    if (!agentTyping) return;
    const timer = setTimeout(() => setAgentTyping(null), AGENT_TYPING_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [agentTyping]);

  const started = (newToken: string, c: Conversation) => {
    connection.tokens.set(newToken);
    connection.reconnect();
    setToken(newToken);
    adopt(c);
  };

  // Nothing shows until the server has admitted this site (an origin off the allowlist sees nothing).
  if (!info) return null;
  return (
    <div class="sbw" style={{ '--sbw-accent': info.widget.color }}>
      {open && (
        <Panel
          info={info.widget}
          token={token}
          conversation={conversation}
          messages={messages}
          agentTyping={agentTyping}
          onStarted={started}
          onSent={(m) => setMessages((current) => merge(current, [m]))}
          onNewChat={forget}
          onClose={() => setOpen(false)}
        />
      )}
      <button
        type="button"
        class="sbw-launcher"
        aria-label={open ? 'Close chat' : unread ? `Open chat, ${unread} new` : 'Open chat'}
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
          setUnread(0);
        }}
      >
        {open ? <CloseIcon /> : <ChatIcon />}
        {!open && unread > 0 && <span class="sbw-badge">{unread}</span>}
      </button>
    </div>
  );
}

function merge(current: Message[], incoming: Message[]): Message[] {
  const known = new Set(current.map((m) => m.id));
  const added = incoming.filter((m) => !known.has(m.id));
  if (added.length === 0) return current;
  return [...current, ...added].sort((a, b) => Number(a.id) - Number(b.id));
}

interface PanelProps {
  info: { teamName: string; greeting: string; askForContact: boolean; requireEmail: boolean };
  token: string | null;
  conversation: Omit<Conversation, 'messages'> | null;
  messages: Message[];
  agentTyping: string | null;
  onStarted(token: string, conversation: Conversation): void;
  onSent(message: Message): void;
  onNewChat(): void;
  onClose(): void;
}

function Panel(props: PanelProps) {
  const { info, token, conversation, messages } = props;
  const [, start] = useMutation(StartMutation);
  const [contactError, setContactError] = useState<string | null>(null);
  const needsContact = !token && info.askForContact;
  const status: Status = conversation?.status ?? 'OPEN';
  const log = useRef<HTMLDivElement>(null);

  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages.length, props.agentTyping]);

  // Keyboard users land in the panel when it opens.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    panel.current?.querySelector<HTMLElement>('textarea, input')?.focus();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const begin = async (contact: { name?: string; email?: string }) => {
    const res = await start({ input: { ...contact, pageUrl: location.href } });
    if (res.error || !res.data) {
      setContactError(errorText(res.error));
      return null;
    }
    setContactError(null);
    props.onStarted(res.data.startConversation.token, res.data.startConversation.conversation);
    return res.data.startConversation.token;
  };

  return (
    <section class="sbw-panel" role="dialog" aria-label={`Chat with ${info.teamName}`} ref={panel}>
      <header class="sbw-header">
        <div>
          <strong>{info.teamName}</strong>
          <span>We usually answer within minutes</span>
        </div>
        <button type="button" class="sbw-icon" aria-label="Minimise chat" onClick={props.onClose}>
          <CloseIcon />
        </button>
      </header>
      <div class="sbw-log" role="log" aria-live="polite" aria-label="Conversation" ref={log}>
        <p class="sbw-msg sbw-msg--agent">{info.greeting}</p>
        {messages.map((m) => (
          <MessageBubble key={m.id} message={m} />
        ))}
        {props.agentTyping && (
          <p class="sbw-typing" aria-live="polite">
            {props.agentTyping} is typing…
          </p>
        )}
      </div>
      {needsContact ? (
        <ContactForm requireEmail={info.requireEmail} error={contactError} onSubmit={begin} />
      ) : status === 'OPEN' ? (
        <Composer token={token} begin={() => begin({})} onSent={props.onSent} />
      ) : (
        <div class="sbw-ended">
          <p>
            {status === 'CONVERTED' && conversation?.ticketNumber
              ? `This chat is now support request #${conversation.ticketNumber}.`
              : 'This chat has ended.'}
          </p>
          <button type="button" class="sbw-link" onClick={props.onNewChat}>
            Start a new chat
          </button>
        </div>
      )}
      {token && messages.length > 0 && <Transcript knownEmail={conversation?.email ?? null} />}
    </section>
  );
}

function MessageBubble({ message }: { message: Message }) {
  if (message.author === 'SYSTEM') return <p class="sbw-system">{message.body}</p>;
  const mine = message.author === 'VISITOR';
  return (
    <div class={`sbw-msg ${mine ? 'sbw-msg--me' : 'sbw-msg--agent'}`}>
      {!mine && message.agentName && <span class="sbw-author">{message.agentName}</span>}
      {message.body}
    </div>
  );
}

function ContactForm(props: {
  requireEmail: boolean;
  error: string | null;
  onSubmit(contact: { name?: string; email?: string }): Promise<unknown>;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="sbw-contact"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        await props.onSubmit({ name: name.trim() || undefined, email: email.trim() || undefined });
        setBusy(false);
      }}
    >
      <p>Tell us who you are, so we can follow up if you leave.</p>
      <label>
        Your name
        <input value={name} maxLength={100} autoComplete="name" onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        Your email{props.requireEmail ? '' : ' (optional)'}
        <input
          type="email"
          value={email}
          maxLength={254}
          required={props.requireEmail}
          autoComplete="email"
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </label>
      {props.error && (
        <p class="sbw-error" role="alert">
          {props.error}
        </p>
      )}
      <button type="submit" class="sbw-primary" disabled={busy}>
        Start chat
      </button>
    </form>
  );
}

function Composer(props: { token: string | null; begin(): Promise<string | null>; onSent(m: Message): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [{ fetching }, send] = useMutation(SendMutation);
  const [, typing] = useMutation(TypingMutation);
  const typingState = useMemo(() => ({ sentAt: 0, on: false, idle: 0 as ReturnType<typeof setTimeout> | 0 }), []);

  const announce = (on: boolean) => {
    if (!props.token) return;
    const now = Date.now();
    if (on && typingState.on && now - typingState.sentAt < TYPING_REPEAT_MS) return;
    if (!on && !typingState.on) return;
    typingState.on = on;
    typingState.sentAt = now;
    void typing({ typing: on });
  };

  const onInput = (value: string) => {
    setText(value);
    clearTimeout(typingState.idle);
    if (!value.trim()) return announce(false);
    announce(true);
    typingState.idle = setTimeout(() => announce(false), TYPING_IDLE_MS);
  };

  const submit = async () => {
    const body = text.trim();
    if (!body || fetching) return;
    if (!props.token && !(await props.begin())) return;
    clearTimeout(typingState.idle);
    typingState.on = false; // the message itself ends the typing on the agent's side
    const res = await send({ body });
    if (res.error || !res.data) {
      setError(errorText(res.error));
      return;
    }
    setError(null);
    setText('');
    props.onSent(res.data.sendMessage);
  };

  return (
    <form
      class="sbw-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {error && (
        <p class="sbw-error" role="alert">
          {error}
        </p>
      )}
      <div class="sbw-row">
        <textarea
          aria-label="Message"
          placeholder="Write a message…"
          rows={2}
          maxLength={4000}
          value={text}
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        <button type="submit" class="sbw-send" aria-label="Send" disabled={!text.trim() || fetching}>
          <SendIcon />
        </button>
      </div>
    </form>
  );
}

function Transcript({ knownEmail }: { knownEmail: string | null }) {
  const [asking, setAsking] = useState(false);
  const [email, setEmail] = useState('');
  const [{ fetching }, mail] = useMutation(TranscriptMutation);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const request = async (address: string | null) => {
    const res = await mail({ email: address });
    setResult(
      res.data
        ? { ok: true, text: `We sent the transcript to ${res.data.emailTranscript}.` }
        : { ok: false, text: errorText(res.error) ?? 'That did not work.' },
    );
    if (res.data) setAsking(false);
  };
  return (
    <div class="sbw-transcript">
      {result && (
        <p class={result.ok ? 'sbw-note' : 'sbw-error'} role="status">
          {result.text}
        </p>
      )}
      {asking ? (
        <form
          class="sbw-row"
          onSubmit={(e) => {
            e.preventDefault();
            void request(email.trim());
          }}
        >
          <input
            type="email"
            required
            aria-label="Email for the transcript"
            placeholder="you@example.com"
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
          <button type="submit" class="sbw-primary" disabled={fetching}>
            Send
          </button>
        </form>
      ) : (
        <button
          type="button"
          class="sbw-link"
          disabled={fetching}
          onClick={() => (knownEmail ? void request(null) : setAsking(true))}
        >
          Email me the transcript
        </button>
      )}
    </div>
  );
}

const ChatIcon = () => (
  <svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
    <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12Z" stroke-linejoin="round" />
  </svg>
);
const CloseIcon = () => (
  <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
    <path d="M6 6l12 12M18 6 6 18" stroke-linecap="round" />
  </svg>
);
const SendIcon = () => (
  <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
    <path d="M4 12 20 4l-6 16-3-7-7-1Z" stroke-linejoin="round" />
  </svg>
);
