// Live chat (/livechat, /livechat/:id): website visitors' conversations, live. An agent answers
// here (the visitor sees them typing), ends the chat, or turns it into a ticket.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import {
  CloseLiveConversationDocument,
  ConvertLiveConversationToTicketDocument,
  LiveConversationDocument,
  LiveConversationsDocument,
  ReplyToLiveConversationDocument,
  SetLiveConversationTypingDocument,
  type LiveConversationQuery,
  type LiveConversationSummaryFragment,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { shortAgo, timeOfDay, useNow } from '../../shared/format/time';
import { Avatar, Button, EmptyState, MessageIcon, Notice, SendIcon, Skeleton, cx, useToast } from '../../shared/ui';
import { useTypingIn } from './liveChatEvents';
import './livechat.css';

const TYPING_REPEAT_MS = 3_000;
const TYPING_IDLE_MS = 4_000;

function visitorName(c: Pick<LiveConversationSummaryFragment, 'visitorName' | 'visitorEmail'>): string {
  return c.visitorName ?? c.visitorEmail ?? 'Website visitor';
}

const STATUS_LABEL = { OPEN: 'Open', CLOSED: 'Ended', CONVERTED: 'Ticket' } as const;

export function LiveChatPage() {
  const { id } = useParams();
  const { data, error } = useQuery(LiveConversationsDocument);
  const conversations = data?.liveConversations ?? [];
  return (
    <div className="lc">
      <title>Live chat · Switchboard</title>
      <aside className="lc-list" aria-label="Live chats">
        <header className="lc-list__header">
          <h1 className="lc-title">Live chat</h1>
          <span className="lc-list__count">{conversations.filter((c) => c.status === 'OPEN').length} open</span>
        </header>
        {error && !data ? (
          <div className="lc-pad">
            <Notice tone="danger" title="Live chats could not be loaded">
              {graphQLErrorMessage(error) ?? connectionMessage(error)}
            </Notice>
          </div>
        ) : !data ? (
          <div className="lc-pad">
            <Skeleton height={48} />
          </div>
        ) : conversations.length === 0 ? (
          <div className="lc-pad">
            <EmptyState icon={<MessageIcon size={22} />} title="No live chats yet">
              When a visitor writes through the chat widget on your site, the conversation appears here.
            </EmptyState>
          </div>
        ) : (
          <ConversationList conversations={conversations} selected={id} />
        )}
      </aside>
      <section className="lc-main" aria-label="Conversation">
        {id ? (
          <ConversationView key={id} id={id} />
        ) : (
          <div className="lc-placeholder">
            <EmptyState icon={<MessageIcon size={22} />} title="Pick a conversation">
              Visitors waiting for an answer are marked with a dot.
            </EmptyState>
          </div>
        )}
      </section>
    </div>
  );
}

function ConversationList({
  conversations,
  selected,
}: {
  conversations: LiveConversationSummaryFragment[];
  selected?: string;
}) {
  const now = useNow(30_000);
  return (
    <ul className="lc-list__items">
      {conversations.map((c) => (
        <li key={c.id}>
          <Link
            to={`/livechat/${c.id}`}
            className={cx('lc-item', c.id === selected && 'lc-item--active', c.status !== 'OPEN' && 'lc-item--ended')}
            aria-current={c.id === selected ? 'page' : undefined}
          >
            <Avatar name={visitorName(c)} size="sm" />
            <span className="lc-item__body">
              <span className="lc-item__top">
                <span className="lc-item__name">{visitorName(c)}</span>
                <time className="lc-item__time" dateTime={c.lastMessageAt}>
                  {shortAgo(new Date(c.lastMessageAt), now)}
                </time>
              </span>
              <span className="lc-item__preview">{c.preview || 'No messages yet'}</span>
            </span>
            {c.awaitingReply ? (
              <span className="lc-dot" aria-label="Waiting for an answer" />
            ) : (
              c.status !== 'OPEN' && <span className="lc-status">{STATUS_LABEL[c.status]}</span>
            )}
          </Link>
        </li>
      ))}
    </ul>
  );
}

type Conversation = NonNullable<LiveConversationQuery['liveConversation']>;

function ConversationView({ id }: { id: string }) {
  const { data, error, loading } = useQuery(LiveConversationDocument, { variables: { id } });
  const conversation = data?.liveConversation;
  if (error && !data) {
    return (
      <div className="lc-pad">
        <Notice tone="danger" title="This conversation could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      </div>
    );
  }
  if (loading && !conversation) {
    return (
      <div className="lc-pad">
        <Skeleton height={120} />
      </div>
    );
  }
  if (!conversation) {
    return (
      <div className="lc-placeholder">
        <EmptyState title="No such conversation">It may belong to another workspace.</EmptyState>
      </div>
    );
  }
  return <Conversation conversation={conversation} />;
}

function Conversation({ conversation }: { conversation: Conversation }) {
  const navigate = useNavigate();
  const toast = useToast();
  const typist = useTypingIn(conversation.id);
  const log = useRef<HTMLOListElement>(null);
  const [convert, converting] = useMutation(ConvertLiveConversationToTicketDocument);
  const [close, closing] = useMutation(CloseLiveConversationDocument);
  const open = conversation.status === 'OPEN';

  useEffect(() => {
    log.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [conversation.messages.length, typist]);

  const toTicket = async () => {
    try {
      const res = await convert({ variables: { conversationId: conversation.id } });
      const ticket = res.data?.convertLiveConversationToTicket;
      if (ticket) {
        toast.show(`Ticket #${ticket.number} created from the chat`, 'success');
        navigate(`/tickets/${ticket.id}`);
      }
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? 'The chat could not be turned into a ticket');
    }
  };

  const end = async () => {
    try {
      await close({ variables: { conversationId: conversation.id } });
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? 'The chat could not be ended');
    }
  };

  return (
    <div className="lc-conv">
      <header className="lc-conv__header">
        <div className="lc-conv__who">
          <h2 className="lc-conv__name">{visitorName(conversation)}</h2>
          <p className="lc-conv__meta">
            {conversation.visitorEmail ?? 'No email left'}
            {conversation.pageUrl && (
              <>
                {' · '}
                <span className="lc-conv__page" title={conversation.pageUrl}>
                  {conversation.pageUrl}
                </span>
              </>
            )}
          </p>
        </div>
        <div className="lc-conv__actions">
          {conversation.ticket ? (
            <Link className="sb-button sb-button--secondary sb-button--sm" to={`/tickets/${conversation.ticket.id}`}>
              Open ticket #{conversation.ticket.number}
            </Link>
          ) : (
            <Button size="sm" variant="secondary" loading={converting.loading} onClick={() => void toTicket()}>
              Turn into ticket
            </Button>
          )}
          {open && (
            <Button size="sm" variant="ghost" loading={closing.loading} onClick={() => void end()}>
              End chat
            </Button>
          )}
        </div>
      </header>
      <ol className="lc-log" ref={log} aria-label="Messages" aria-live="polite">
        {conversation.messages.map((m) =>
          m.author === 'SYSTEM' ? (
            <li key={m.id} className="lc-system">
              {m.body}
            </li>
          ) : (
            <li key={m.id} className={cx('lc-msg', m.author === 'AGENT' ? 'lc-msg--agent' : 'lc-msg--visitor')}>
              <span className="lc-msg__meta">
                {m.author === 'AGENT' ? (m.agent?.name ?? 'Agent') : visitorName(conversation)} ·{' '}
                {timeOfDay(new Date(m.createdAt))}
              </span>
              <span className="lc-msg__body">{m.body}</span>
            </li>
          ),
        )}
        {typist && (
          <li className="lc-typing" aria-live="polite">
            {typist === 'Visitor' ? `${visitorName(conversation)} is typing…` : `${typist} is typing…`}
          </li>
        )}
      </ol>
      {open ? (
        <Composer conversationId={conversation.id} />
      ) : (
        <p className="lc-ended">
          {conversation.status === 'CONVERTED' ? 'This chat became a ticket.' : 'This chat has ended.'}
        </p>
      )}
    </div>
  );
}

function Composer({ conversationId }: { conversationId: string }) {
  const toast = useToast();
  const [text, setText] = useState('');
  const [reply, replying] = useMutation(ReplyToLiveConversationDocument);
  const [setTyping] = useMutation(SetLiveConversationTypingDocument);
  const typing = useMemo(() => ({ on: false, sentAt: 0, idle: 0 }), []);

  const announce = (on: boolean) => {
    const now = Date.now();
    if (on && typing.on && now - typing.sentAt < TYPING_REPEAT_MS) return;
    if (!on && !typing.on) return;
    typing.on = on;
    typing.sentAt = now;
    setTyping({ variables: { conversationId, typing: on } }).catch(() => undefined);
  };

  useEffect(
    () => () => {
      window.clearTimeout(typing.idle);
      if (typing.on) setTyping({ variables: { conversationId, typing: false } }).catch(() => undefined);
    },
    [conversationId, setTyping, typing],
  );

  const onChange = (value: string) => {
    setText(value);
    window.clearTimeout(typing.idle);
    if (!value.trim()) return announce(false);
    announce(true);
    typing.idle = window.setTimeout(() => announce(false), TYPING_IDLE_MS);
  };

  const send = async () => {
    const body = text.trim();
    if (!body || replying.loading) return;
    try {
      window.clearTimeout(typing.idle);
      await reply({ variables: { input: { conversationId, body } } });
      typing.on = false; // the reply itself ends the typing on the visitor's side
      setText('');
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? 'The reply could not be sent');
    }
  };

  return (
    <form
      className="lc-composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <textarea
        className="lc-composer__input"
        aria-label="Reply to the visitor"
        placeholder="Write a reply… (Enter sends, Shift+Enter for a new line)"
        rows={2}
        maxLength={4000}
        value={text}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            void send();
          }
        }}
      />
      <Button type="submit" icon={<SendIcon size={16} />} loading={replying.loading} disabled={!text.trim()}>
        Send
      </Button>
    </form>
  );
}
