// The @-mention autocomplete of a text box (ticket composer, team chat): it follows the "@que"
// before the caret, offers up to six matching people, and inserts "@Name " into the draft when one
// is picked by click, Enter or Tab (arrows move, Escape closes). The draft itself stays with the
// component; picking a person also remembers them so that sending can encode the mention.
import { useCallback, useId, useState, type KeyboardEvent, type RefObject } from 'react';
import { mentionQuery, type MentionTarget } from './mention-syntax';

export interface MentionCandidate {
  id: string;
  name: string;
  email: string;
}

/** Unsent text and the people picked from the list while writing it. */
export interface MentionDraft {
  text: string;
  picked: MentionTarget[];
}

const MAX_SUGGESTIONS = 6;

function matching<P extends MentionCandidate>(people: readonly P[], query: string): P[] {
  const q = query.toLowerCase();
  return people
    .filter((person) => !q || person.name.toLowerCase().includes(q) || person.email.toLowerCase().startsWith(q))
    .slice(0, MAX_SUGGESTIONS);
}

export interface MentionAutocomplete<P extends MentionCandidate> {
  /** True while the suggestion list shows. */
  open: boolean;
  candidates: P[];
  activeIndex: number;
  setActiveIndex(index: number): void;
  /** The id of the suggestion list (for aria-controls). */
  listId: string;
  optionId(index: number): string;
  /** Re-reads the mention being typed after the text or the caret changed. */
  refresh(text: string, caret: number | null): void;
  close(): void;
  pick(person: P): void;
  /** Handles the list's keys; true when the key was used (the box must not act on it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
}

export function useMentionAutocomplete<P extends MentionCandidate>({
  people,
  enabled = true,
  areaRef,
  draft,
  onDraftChange,
}: {
  people: readonly P[];
  enabled?: boolean;
  areaRef: RefObject<HTMLTextAreaElement | null>;
  draft: MentionDraft;
  onDraftChange(next: MentionDraft): void;
}): MentionAutocomplete<P> {
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null);
  const [activeIndex, setActiveIndex] = useState(0);
  const listId = useId();

  const candidates = mention ? matching(people, mention.query) : [];
  const open = enabled && mention !== null && candidates.length > 0;

  const refresh = (text: string, caret: number | null) => {
    if (!enabled || caret === null) return setMention(null);
    const next = mentionQuery(text, caret);
    setMention(next);
    if (next?.query !== mention?.query) setActiveIndex(0);
  };

  const close = useCallback(() => setMention(null), []);

  const pick = (person: P) => {
    const area = areaRef.current;
    if (!mention || !area) return;
    const insert = `@${person.name} `;
    const text = draft.text.slice(0, mention.start) + insert + draft.text.slice(area.selectionStart);
    const picked = draft.picked.some((p) => p.id === person.id)
      ? draft.picked
      : [...draft.picked, { id: person.id, name: person.name }];
    onDraftChange({ text, picked });
    setMention(null);
    const caret = mention.start + insert.length;
    requestAnimationFrame(() => {
      area.focus();
      area.setSelectionRange(caret, caret);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActiveIndex((i) => (i + step + candidates.length) % candidates.length);
      return true;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      const person = candidates[activeIndex];
      if (person) {
        event.preventDefault();
        pick(person);
        return true;
      }
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      setMention(null);
      return true;
    }
    return false;
  };

  return {
    open,
    candidates,
    activeIndex,
    setActiveIndex,
    listId,
    optionId: (index) => `${listId}-${index}`,
    refresh,
    close,
    pick,
    onKeyDown,
  };
}
