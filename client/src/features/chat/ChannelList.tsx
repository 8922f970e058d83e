// The list of channels and direct conversations with unread counts and presence, chat search, and
// forms to start a channel or a conversation.
import { useState, type FormEvent } from 'react';
import { useLazyQuery, useMutation } from '@apollo/client/react';
import {
  CreateChatChannelDocument,
  OpenDirectChannelDocument,
  SearchChatDocument,
  type ChatChannelItemFragment,
} from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { dayLabel, timeOfDay } from '../../shared/format/time';
import { Button, CheckIcon, CloseIcon, LockIcon, PlusIcon, SearchIcon, Spinner, UsersIcon, cx } from '../../shared/ui';
import { plainText } from '../../shared/mentions/mention-syntax';
import { useChat } from './ChatContext';
import { PresenceDot } from './PresenceDot';

function ChannelRow({
  channel,
  selected,
  onSelect,
}: {
  channel: ChatChannelItemFragment;
  selected: boolean;
  onSelect(id: string): void;
}) {
  const chat = useChat();
  const others = channel.members.filter((m) => m.id !== chat.viewerId);
  const unread = channel.unreadCount;
  let icon;
  if (channel.kind === 'DIRECT') {
    icon =
      others.length === 1 && others[0] ? (
        <PresenceDot status={chat.presenceOf(others[0].id)} name={others[0].name} />
      ) : (
        <UsersIcon size={14} />
      );
  } else {
    icon = channel.private ? (
      <LockIcon size={13} />
    ) : (
      <span className="ch-hash" aria-hidden="true">
        #
      </span>
    );
  }
  return (
    <li>
      <button
        type="button"
        className={cx('ch-row', selected && 'ch-row--selected', unread > 0 && 'ch-row--unread')}
        aria-current={selected ? 'true' : undefined}
        aria-label={`${channel.kind === 'DIRECT' ? channel.name : `#${channel.name}`}${unread ? `, ${unread} unread` : ''}`}
        onClick={() => onSelect(channel.id)}
      >
        <span className="ch-row__icon">{icon}</span>
        <span className="ch-row__name">{channel.name}</span>
        {!channel.joined && <span className="ch-row__hint">join</span>}
        {unread > 0 && (
          <span className="ch-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
    </li>
  );
}

function NewChannelForm({ onCreated, onCancel }: { onCreated(id: string): void; onCancel(): void }) {
  const chat = useChat();
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [create, { loading }] = useMutation(CreateChatChannelDocument);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const { data } = await create({ variables: { input: { name, private: isPrivate } } });
      if (!data) return;
      chat.refetchChannels();
      onCreated(data.createChannel.id);
    } catch (failure) {
      setError(graphQLErrorMessage(failure) ?? 'Could not create the channel');
    }
  };
  return (
    <form className="ch-form" onSubmit={(event) => void submit(event)} aria-label="New channel">
      <label className="ch-form__label" htmlFor="ch-new-channel">
        Channel name
      </label>
      <input
        id="ch-new-channel"
        className="sb-field__input ch-form__input"
        value={name}
        autoFocus
        placeholder="e.g. billing-questions"
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel();
        }}
      />
      <label className="ch-form__check">
        <input type="checkbox" checked={isPrivate} onChange={(event) => setPrivate(event.target.checked)} />
        Private (members only)
      </label>
      {error && (
        <p className="ch-inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="ch-form__buttons">
        <Button size="sm" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" type="submit" loading={loading} disabled={!name.trim()}>
          Create channel
        </Button>
      </div>
    </form>
  );
}

function NewDirectForm({ onOpened, onCancel }: { onOpened(id: string): void; onCancel(): void }) {
  const chat = useChat();
  const [filter, setFilter] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [open, { loading }] = useMutation(OpenDirectChannelDocument);
  const [error, setError] = useState<string | null>(null);
  const people = chat.team
    .filter((p) => p.id !== chat.viewerId)
    .filter((p) => !filter || p.name.toLowerCase().includes(filter.toLowerCase()));
  const toggle = (userId: string) =>
    setPicked((all) => (all.includes(userId) ? all.filter((id) => id !== userId) : [...all, userId]));
  const start = async () => {
    if (picked.length === 0) return;
    try {
      const { data } = await open({ variables: { userIds: picked } });
      if (!data) return;
      chat.refetchChannels();
      onOpened(data.openDirectChannel.id);
    } catch (failure) {
      setError(graphQLErrorMessage(failure) ?? 'Could not open the conversation');
    }
  };
  return (
    <div className="ch-form" role="group" aria-label="New direct message">
      <label className="ch-form__label" htmlFor="ch-new-dm">
        Message one or more teammates
      </label>
      <input
        id="ch-new-dm"
        className="sb-field__input ch-form__input"
        value={filter}
        autoFocus
        placeholder="Find a teammate"
        onChange={(event) => setFilter(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel();
          if (event.key === 'Enter' && people[0]) {
            event.preventDefault();
            toggle(people[0].id);
          }
        }}
      />
      <ul className="ch-people">
        {people.map((person) => (
          <li key={person.id}>
            <button
              type="button"
              className={cx('ch-row', picked.includes(person.id) && 'ch-row--selected')}
              aria-pressed={picked.includes(person.id)}
              onClick={() => toggle(person.id)}
            >
              <span className="ch-row__icon">
                <PresenceDot status={chat.presenceOf(person.id)} name={person.name} />
              </span>
              <span className="ch-row__name">{person.name}</span>
              {picked.includes(person.id) && <CheckIcon size={14} />}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="ch-inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="ch-form__buttons">
        <Button size="sm" variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          size="sm"
          variant="primary"
          loading={loading}
          disabled={picked.length === 0}
          onClick={() => void start()}
        >
          Start conversation
        </Button>
      </div>
    </div>
  );
}

function SearchResults({ query, onSelect }: { query: string; onSelect(id: string): void }) {
  const [run, { data, loading, called }] = useLazyQuery(SearchChatDocument, { fetchPolicy: 'network-only' });
  const [ran, setRan] = useState('');
  if (query !== ran) {
    setRan(query);
    void run({ variables: { query } }).catch(() => undefined);
  }
  if (!called || loading) return <Spinner label="Searching" />;
  const results = data?.searchChat ?? [];
  if (results.length === 0) return <p className="ch-list__empty">No messages match “{query}”.</p>;
  return (
    <ul className="ch-results" aria-label="Search results">
      {results.map((message) => (
        <li key={message.id}>
          <button type="button" className="ch-result" onClick={() => onSelect(message.channel.id)}>
            <span className="ch-result__where">
              {message.channel.kind === 'DIRECT' ? message.channel.name : `#${message.channel.name}`} ·{' '}
              {message.author.name} · {dayLabel(new Date(message.createdAt))} {timeOfDay(new Date(message.createdAt))}
            </span>
            <span className="ch-result__body">{plainText(message.body)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ChannelList({ selectedId, onSelect }: { selectedId: string | null; onSelect(id: string): void }) {
  const chat = useChat();
  const [form, setForm] = useState<'channel' | 'direct' | null>(null);
  const [search, setSearch] = useState('');
  const [submitted, setSubmitted] = useState('');
  const rooms = chat.channels.filter((c) => c.kind !== 'DIRECT');
  const directs = chat.channels.filter((c) => c.kind === 'DIRECT');
  const select = (id: string) => {
    setForm(null);
    onSelect(id);
  };
  return (
    <nav className="ch-list" aria-label="Chat channels">
      <form
        className="ch-search"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted(search.trim());
        }}
      >
        <SearchIcon size={14} />
        <input
          className="ch-search__input"
          type="search"
          aria-label="Search messages"
          placeholder="Search messages"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            if (!event.target.value) setSubmitted('');
          }}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && search) {
              event.stopPropagation();
              setSearch('');
              setSubmitted('');
            }
          }}
        />
        {submitted && (
          <button
            type="button"
            className="ch-icon"
            aria-label="Clear search"
            onClick={() => {
              setSearch('');
              setSubmitted('');
            }}
          >
            <CloseIcon size={13} />
          </button>
        )}
      </form>
      {submitted ? (
        <SearchResults query={submitted} onSelect={select} />
      ) : (
        <>
          <div className="ch-list__section">
            <h3 className="ch-list__heading">Channels</h3>
            <button
              type="button"
              className="ch-icon"
              aria-label="New channel"
              title="New channel"
              onClick={() => setForm(form === 'channel' ? null : 'channel')}
            >
              <PlusIcon size={14} />
            </button>
          </div>
          {form === 'channel' && <NewChannelForm onCreated={select} onCancel={() => setForm(null)} />}
          {chat.channelsLoading ? (
            <Spinner label="Loading channels" />
          ) : (
            <ul className="ch-rows">
              {rooms.map((channel) => (
                <ChannelRow key={channel.id} channel={channel} selected={channel.id === selectedId} onSelect={select} />
              ))}
            </ul>
          )}
          <div className="ch-list__section">
            <h3 className="ch-list__heading">Direct messages</h3>
            <button
              type="button"
              className="ch-icon"
              aria-label="New direct message"
              title="New direct message"
              onClick={() => setForm(form === 'direct' ? null : 'direct')}
            >
              <PlusIcon size={14} />
            </button>
          </div>
          {form === 'direct' && <NewDirectForm onOpened={select} onCancel={() => setForm(null)} />}
          <ul className="ch-rows">
            {directs.map((channel) => (
              <ChannelRow key={channel.id} channel={channel} selected={channel.id === selectedId} onSelect={select} />
            ))}
            {directs.length === 0 && !chat.channelsLoading && <li className="ch-list__empty">No conversations yet.</li>}
          </ul>
        </>
      )}
    </nav>
  );
}
