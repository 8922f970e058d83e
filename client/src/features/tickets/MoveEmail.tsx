// "Move" on an incoming email: find the ticket it belongs to by number or words, or open a new
// ticket from it. The source timeline folds the entry away live (its EMAIL_MOVED event).
import { useEffect, useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { MoveEmailDocument, MoveEmailTargetsDocument } from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { Button, PlusIcon, TextField, useToast } from '../../shared/ui';
import { statusLabel } from './labels';

export function MoveEmailPanel({
  mailId,
  ticketId,
  onClose,
}: {
  mailId: string;
  /** The ticket the email is on now (not offered as a target). */
  ticketId: string;
  onClose(): void;
}) {
  const toast = useToast();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  const targets = useQuery(MoveEmailTargetsDocument, { variables: { query }, skip: query.length === 0 });
  const [moveEmail, moving] = useMutation(MoveEmailDocument);
  const candidates = (targets.data?.tickets.nodes ?? []).filter((t) => t.id !== ticketId);

  const move = async (to: string | null) => {
    try {
      const { data } = await moveEmail({ variables: { mailId, ticketId: to } });
      const target = data?.moveEmail;
      // Plain text: toasts live outside the router.
      if (target) toast.show(`Email moved to #${target.number}`, 'success');
      onClose();
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? 'The email was not moved');
    }
  };

  return (
    <div className="tl-move" role="dialog" aria-label="Move this email">
      <TextField
        label="Move to ticket"
        placeholder="#123 or words from its title"
        value={text}
        autoFocus
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onClose();
        }}
        hint={query && !targets.loading && candidates.length === 0 ? 'No other ticket matches' : undefined}
      />
      {candidates.length > 0 && (
        <ul className="tl-move__list" aria-label="Matching tickets">
          {candidates.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                className="tl-move__target"
                disabled={moving.loading}
                onClick={() => void move(t.id)}
              >
                <span className="tl-move__number">#{t.number}</span>
                <span className="tl-move__title">{t.title}</span>
                <span className="tl-move__status">{statusLabel(t.status)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="tl-move__actions">
        <Button
          size="sm"
          variant="secondary"
          icon={<PlusIcon size={14} />}
          loading={moving.loading}
          onClick={() => void move(null)}
        >
          New ticket from this email
        </Button>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
