// The message box: Enter sends, Shift+Enter adds a line, @ mentions a teammate (the same syntax as
// ticket notes), and while there is text the others see "… is typing".
import { useEffect, useId, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { ReportChatTypingDocument, SendChatMessageDocument } from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { AlertIcon, Avatar, SendIcon } from '../../shared/ui';
import { encodeMentions, mentionQuery, type MentionTarget } from '../tickets/mentions';
import type { ChatMessage } from './useChannelMessages';
import type { TeamMember } from './ChatContext';

/** Repeat "typing" at most this often while the box changes. */
const TYPING_EVERY_MS = 3_000;

interface Draft {
  text: string;
  picked: MentionTarget[];
}

const drafts = new Map<string, Draft>();

export function ChatComposer({
  channelId,
  channelLabel,
  team,
  viewerId,
  onSent,
  autoFocus = false,
}: {
  channelId: string;
  channelLabel: string;
  team: readonly TeamMember[];
  viewerId: string;
  onSent(message: ChatMessage): void;
  autoFocus?: boolean;
}) {
  const [draft, setDraft] = useState<Draft>(() => drafts.get(channelId) ?? { text: '', picked: [] });
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [mentionIndex, setMentionIndex] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [send, { loading: sending }] = useMutation(SendChatMessageDocument);
  const [reportTyping] = useMutation(ReportChatTypingDocument);
  const lastTyping = useRef(0);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const listId = useId();

  const loaded = useRef(channelId);
  useEffect(() => {
    if (loaded.current === channelId) return;
    loaded.current = channelId;
    setDraft(drafts.get(channelId) ?? { text: '', picked: [] });
    setMention(null);
    setError(null);
    lastTyping.current = 0;
  }, [channelId]);

  useEffect(() => {
    if (autoFocus) areaRef.current?.focus();
  }, [autoFocus, channelId]);

  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight + 2, 200)}px`;
  }, [draft.text]);

  const update = (next: Draft) => {
    setDraft(next);
    if (next.text) drafts.set(channelId, next);
    else drafts.delete(channelId);
  };

  const candidates = mention
    ? team
        .filter((person) => person.id !== viewerId)
        .filter((person) => {
          const q = mention.query.toLowerCase();
          return !q || person.name.toLowerCase().includes(q) || person.email.toLowerCase().startsWith(q);
        })
        .slice(0, 6)
    : [];
  const mentionOpen = mention !== null && candidates.length > 0;

  const pick = (person: TeamMember) => {
    const area = areaRef.current;
    if (!mention || !area) return;
    const insert = `@${person.name} `;
    const text = draft.text.slice(0, mention.start) + insert + draft.text.slice(area.selectionStart);
    const picked = draft.picked.some((p) => p.id === person.id)
      ? draft.picked
      : [...draft.picked, { id: person.id, name: person.name }];
    update({ text, picked });
    setMention(null);
    const caret = mention.start + insert.length;
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(caret, caret);
    });
  };

  const submit = async () => {
    const text = draft.text.trim();
    if (!text || sending) return;
    setError(null);
    try {
      const { data } = await send({
        variables: { input: { channelId, body: encodeMentions(text, draft.picked) } },
      });
      if (!data) throw new Error('No answer from the server');
      update({ text: '', picked: [] });
      lastTyping.current = 0;
      onSent(data.sendChatMessage);
    } catch (failure) {
      setError(graphQLErrorMessage(failure) ?? 'Your message was not sent. Check your connection and try again.');
    }
  };

  const onChange = (event: ChangeEvent<HTMLTextAreaElement>) => {
    const text = event.target.value;
    update({ ...draft, text });
    const next = mentionQuery(text, event.target.selectionStart);
    if (next?.query !== mention?.query) setMentionIndex(0);
    setMention(next);
    if (text.trim() && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      void reportTyping({ variables: { channelId } }).catch(() => undefined);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentionOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setMentionIndex((i) => (i + step + candidates.length) % candidates.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const person = candidates[mentionIndex];
        if (person) {
          event.preventDefault();
          pick(person);
          return;
        }
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setMention(null);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <div className="ch-composer">
      {error && (
        <p className="ch-composer__error" role="alert">
          <AlertIcon size={14} /> {error}
        </p>
      )}
      {mentionOpen && (
        <ul
          className="sb-popover sb-mention-list ch-mentions"
          role="listbox"
          id={listId}
          aria-label="People to mention"
        >
          {candidates.map((person, index) => (
            <li
              key={person.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === mentionIndex}
              className="sb-option"
              data-active={index === mentionIndex}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(person);
              }}
              onMouseEnter={() => setMentionIndex(index)}
            >
              <Avatar name={person.name} seed={person.id} size="xs" />
              <span className="sb-option__label">{person.name}</span>
              <span className="sb-option__meta">{person.email}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="ch-composer__box">
        <textarea
          ref={areaRef}
          className="ch-composer__input"
          rows={1}
          value={draft.text}
          placeholder={`Message ${channelLabel}`}
          aria-label="Message"
          aria-controls={mentionOpen ? listId : undefined}
          aria-activedescendant={mentionOpen ? `${listId}-${mentionIndex}` : undefined}
          aria-autocomplete="list"
          onChange={onChange}
          onKeyDown={onKeyDown}
          onBlur={() => setMention(null)}
        />
        <button
          type="button"
          className="ch-composer__send"
          aria-label="Send message"
          title="Send (Enter)"
          disabled={!draft.text.trim() || sending}
          onClick={() => void submit()}
        >
          <SendIcon size={16} />
        </button>
      </div>
    </div>
  );
}
