// The message box: Enter sends, Shift+Enter adds a line, @ mentions a teammate (the same syntax as
// ticket notes), and while there is text the others see "… is typing".
import { useEffect, useRef, useState, type ChangeEvent, type KeyboardEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import { ReportChatTypingDocument, SendChatMessageDocument } from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { AlertIcon, SendIcon } from '../../shared/ui';
import { encodeMentions } from '../../shared/mentions/mention-syntax';
import { MentionSuggestions } from '../../shared/mentions/MentionSuggestions';
import { useMentionAutocomplete, type MentionDraft } from '../../shared/mentions/useMentionAutocomplete';
import type { ChatMessage } from './useChannelMessages';
import type { TeamMember } from './ChatContext';

/** Repeat "typing" at most this often while the box changes. */
const TYPING_EVERY_MS = 3_000;

const drafts = new Map<string, MentionDraft>();

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
  const [draft, setDraft] = useState<MentionDraft>(() => drafts.get(channelId) ?? { text: '', picked: [] });
  const [error, setError] = useState<string | null>(null);
  const [send, { loading: sending }] = useMutation(SendChatMessageDocument);
  const [reportTyping] = useMutation(ReportChatTypingDocument);
  const lastTyping = useRef(0);
  const areaRef = useRef<HTMLTextAreaElement>(null);

  const update = (next: MentionDraft) => {
    setDraft(next);
    if (next.text) drafts.set(channelId, next);
    else drafts.delete(channelId);
  };

  const mentions = useMentionAutocomplete({
    // Nobody mentions themselves.
    people: team.filter((person) => person.id !== viewerId),
    areaRef,
    draft,
    onDraftChange: update,
  });

  const loaded = useRef(channelId);
  useEffect(() => {
    if (loaded.current === channelId) return;
    loaded.current = channelId;
    setDraft(drafts.get(channelId) ?? { text: '', picked: [] });
    mentions.close();
    setError(null);
    lastTyping.current = 0;
  }, [channelId, mentions.close]);

  useEffect(() => {
    if (autoFocus) areaRef.current?.focus();
  }, [autoFocus, channelId]);

  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight + 2, 200)}px`;
  }, [draft.text]);

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
    mentions.refresh(text, event.target.selectionStart);
    if (text.trim() && Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      void reportTyping({ variables: { channelId } }).catch(() => undefined);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mentions.onKeyDown(event)) return;
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
      <MentionSuggestions autocomplete={mentions} className="ch-mentions" />
      <div className="ch-composer__box">
        <textarea
          ref={areaRef}
          className="ch-composer__input"
          rows={1}
          value={draft.text}
          placeholder={`Message ${channelLabel}`}
          aria-label="Message"
          aria-controls={mentions.open ? mentions.listId : undefined}
          aria-activedescendant={mentions.open ? mentions.optionId(mentions.activeIndex) : undefined}
          aria-autocomplete="list"
          onChange={onChange}
          onKeyDown={onKeyDown}
          onBlur={mentions.close}
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
