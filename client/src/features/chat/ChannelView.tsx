// One channel: its header (with join/leave and who is in it), the messages with day separators and
// "load older", who is typing, and the composer. Used by the full page and by the docked panel.
import { Fragment, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useMutation, useSubscription } from '@apollo/client/react';
import {
  ChatTicketCardEventsDocument,
  JoinChatChannelDocument,
  LeaveChatChannelDocument,
  MarkChatChannelReadDocument,
} from '../../gql/graphql';
import { dayLabel, firstName } from '../../shared/format/time';
import { Button, LockIcon, Spinner, UsersIcon, useToast } from '../../shared/ui';
import { graphQLErrorMessage } from '../../app/errors';
import { useChat } from './ChatContext';
import { ChatComposer } from './ChatComposer';
import { MessageItem } from './MessageItem';
import { PresenceDot } from './PresenceDot';
import { MembersButton } from './MembersPanel';
import { useChannelMessages, type ChatMessage, type Typist } from './useChannelMessages';

/** Messages by one person within this long of each other share one name line. */
const GROUP_MS = 5 * 60_000;

function typingLine(typists: Typist[]): string {
  const names = typists.map((t) => firstName(t.name));
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}

function sameDay(a: string, b: string): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/** Keeps ticket cards current: the inbox stream updates the cached tickets in place. */
function LiveTicketCards() {
  useSubscription(ChatTicketCardEventsDocument);
  return null;
}

export function ChannelView({
  channelId,
  headerStart,
  compact = false,
}: {
  channelId: string;
  /** Something before the title (the panel's back button). */
  headerStart?: ReactNode;
  compact?: boolean;
}) {
  const chat = useChat();
  const toast = useToast();
  const channel = chat.channels.find((c) => c.id === channelId);
  const state = useChannelMessages(channelId);
  const { messages } = state;
  const listRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const [markRead] = useMutation(MarkChatChannelReadDocument);
  const [join, { loading: joining }] = useMutation(JoinChatChannelDocument);
  const [leave] = useMutation(LeaveChatChannelDocument);

  // New messages keep the view at the bottom unless the reader scrolled up; older pages keep
  // the message they were reading in place.
  const firstId = useRef<string | null>(null);
  const heightBefore = useRef(0);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const oldest = messages[0]?.id ?? null;
    if (firstId.current && oldest !== firstId.current && heightBefore.current) {
      list.scrollTop += list.scrollHeight - heightBefore.current;
    } else if (stickToBottom.current) {
      list.scrollTop = list.scrollHeight;
    }
    firstId.current = oldest;
    heightBefore.current = list.scrollHeight;
  }, [messages]);
  useEffect(() => {
    stickToBottom.current = true;
    firstId.current = null;
  }, [channelId]);

  // Reading: the latest message is read while the channel is on screen.
  const latest = messages[messages.length - 1];
  const joined = channel?.joined ?? false;
  const unread = channel?.unreadCount ?? 0;
  const marked = useRef<string | null>(null);
  useEffect(() => {
    if (!latest || !joined || document.visibilityState !== 'visible') return;
    if (unread === 0 && (latest.author.id === chat.viewerId || marked.current === latest.id)) return;
    const timer = window.setTimeout(() => {
      marked.current = latest.id;
      void markRead({ variables: { channelId, messageId: latest.id } }).catch(() => undefined);
    }, 300);
    return () => window.clearTimeout(timer);
  }, [latest, joined, unread, channelId, chat.viewerId, markRead]);

  const hasTicketCards = messages.some((m) => m.ticketLinks.length > 0);
  const onChanged = (message: ChatMessage) => state.upsert(message);
  const isDirect = channel?.kind === 'DIRECT';
  const others = channel?.members.filter((m) => m.id !== chat.viewerId) ?? [];
  const label = channel ? (isDirect ? channel.name : `#${channel.name}`) : 'this channel';

  const joinChannel = async () => {
    try {
      await join({ variables: { channelId } });
      chat.refetchChannels();
    } catch (failure) {
      toast.error(graphQLErrorMessage(failure) ?? 'Could not join the channel');
    }
  };
  const leaveChannel = async () => {
    try {
      await leave({ variables: { channelId } });
      chat.refetchChannels();
    } catch (failure) {
      toast.error(graphQLErrorMessage(failure) ?? 'Could not leave the channel');
    }
  };

  if (state.removed) {
    return (
      <section className="ch-view" aria-label="Channel">
        <header className="ch-view__header">{headerStart}</header>
        <div className="ch-view__empty">You are no longer a member of this channel.</div>
      </section>
    );
  }

  return (
    <section className="ch-view" aria-label={`Channel ${label}`}>
      {hasTicketCards && <LiveTicketCards />}
      <header className="ch-view__header">
        {headerStart}
        <div className="ch-view__title">
          <h2 className="ch-view__name">
            {isDirect ? (
              others.length === 1 && others[0] ? (
                <PresenceDot status={chat.presenceOf(others[0].id)} name={others[0].name} />
              ) : (
                <UsersIcon size={16} />
              )
            ) : channel?.private ? (
              <LockIcon size={15} />
            ) : (
              <span className="ch-hash" aria-hidden="true">
                #
              </span>
            )}
            <span>{channel ? channel.name : 'Channel'}</span>
          </h2>
          {channel && !compact && (
            <span className="ch-view__meta">
              {channel.members.length} {channel.members.length === 1 ? 'member' : 'members'}
              {channel.kind === 'PUBLIC' ? ' · public' : channel.kind === 'PRIVATE' ? ' · private' : ''}
            </span>
          )}
        </div>
        {channel && <MembersButton channel={channel} />}
        {channel && channel.kind !== 'DIRECT' && channel.joined && !compact && (
          <Button size="sm" variant="ghost" onClick={() => void leaveChannel()}>
            Leave
          </Button>
        )}
      </header>
      <div
        className="ch-view__list"
        ref={listRef}
        role="log"
        aria-label="Messages"
        aria-live="polite"
        onScroll={(event) => {
          const el = event.currentTarget;
          stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 60;
        }}
      >
        {state.loading ? (
          <div className="ch-view__empty">
            <Spinner label="Loading messages" />
          </div>
        ) : state.error ? (
          <div className="ch-view__empty">Messages could not be loaded. Check your connection.</div>
        ) : messages.length === 0 ? (
          <div className="ch-view__empty">
            {isDirect
              ? `This is the start of your conversation with ${channel?.name ?? 'them'}.`
              : `No messages in ${label} yet. Say hello!`}
          </div>
        ) : (
          <>
            {state.hasOlder && (
              <div className="ch-view__older">
                <Button
                  size="sm"
                  variant="secondary"
                  loading={state.loadingOlder}
                  onClick={() => void state.loadOlder()}
                >
                  Load older messages
                </Button>
              </div>
            )}
            <ul className="ch-messages">
              {messages.map((message, index) => {
                const previous = messages[index - 1];
                const newDay = !previous || !sameDay(previous.createdAt, message.createdAt);
                const compactLine =
                  !newDay &&
                  previous !== undefined &&
                  !previous.deleted &&
                  previous.author.id === message.author.id &&
                  new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() < GROUP_MS;
                return (
                  <Fragment key={message.id}>
                    {newDay && (
                      <li className="ch-day" role="separator">
                        <span>{dayLabel(new Date(message.createdAt))}</span>
                      </li>
                    )}
                    <MessageItem
                      message={message}
                      viewerId={chat.viewerId}
                      compact={compactLine}
                      onChanged={onChanged}
                    />
                  </Fragment>
                );
              })}
            </ul>
          </>
        )}
      </div>
      <p className="ch-typing" aria-live="polite">
        {typingLine(state.typists)}
      </p>
      {channel && !channel.joined && channel.kind === 'PUBLIC' ? (
        <div className="ch-join">
          <span>You are reading #{channel.name}.</span>
          <Button variant="primary" size="sm" loading={joining} onClick={() => void joinChannel()}>
            Join channel
          </Button>
        </div>
      ) : (
        <ChatComposer
          channelId={channelId}
          channelLabel={label}
          team={chat.team}
          viewerId={chat.viewerId}
          autoFocus={!compact}
          onSent={(message) => {
            stickToBottom.current = true;
            state.upsert(message);
          }}
        />
      )}
    </section>
  );
}
