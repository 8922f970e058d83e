// The list of people offered while an @-mention is typed (see useMentionAutocomplete).
import { Avatar, cx } from '../ui';
import type { MentionAutocomplete, MentionCandidate } from './useMentionAutocomplete';

export function MentionSuggestions<P extends MentionCandidate>({
  autocomplete,
  className,
}: {
  autocomplete: MentionAutocomplete<P>;
  className?: string;
}) {
  const { open, candidates, activeIndex, setActiveIndex, listId, optionId, pick } = autocomplete;
  if (!open) return null;
  return (
    <ul
      className={cx('sb-popover sb-mention-list', className)}
      role="listbox"
      id={listId}
      aria-label="People to mention"
    >
      {candidates.map((person, index) => (
        <li
          key={person.id}
          id={optionId(index)}
          role="option"
          aria-selected={index === activeIndex}
          className="sb-option"
          data-active={index === activeIndex}
          onMouseDown={(event) => {
            // Keep the focus (and the caret) in the text box.
            event.preventDefault();
            pick(person);
          }}
          onMouseEnter={() => setActiveIndex(index)}
        >
          <Avatar name={person.name} seed={person.id} size="xs" />
          <span className="sb-option__label">{person.name}</span>
          <span className="sb-option__meta">{person.email}</span>
        </li>
      ))}
    </ul>
  );
}
