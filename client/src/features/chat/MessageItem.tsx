// One chat message: author and time (or a compact line when the same person continues), the text
// with mentions and links, linked tickets as live cards, and its actions: edit and delete for the
// author, "add to ticket" for everyone.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { AddChatMessageToTicketDocument, DeleteChatMessageDocument, EditChatMessageDocument } from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { fullDateTime, timeOfDay } from '../../shared/format/time';
import { Avatar, Button, FileIcon, PencilIcon, TrashIcon, cx, useToast } from '../../shared/ui';
import { decodeMentions, encodeMentions, parseBody } from '../../shared/mentions/mention-syntax';
import { TicketCard } from './TicketCard';
import type { ChatMessage } from './useChannelMessages';

function Body({ text, viewerId }: { text: string; viewerId: string }) {
  return (
    <>
      {parseBody(text).map((part, index) =>
        part.type === 'text' ? (
          <span key={index}>{part.text}</span>
        ) : part.type === 'mention' ? (
          <span key={index} className={cx('sb-mention', part.userId === viewerId && 'sb-mention--me')}>
            @{part.name}
          </span>
        ) : (
          <a key={index} href={part.href} target="_blank" rel="noreferrer noopener">
            {part.href}
          </a>
        ),
      )}
    </>
  );
}

type Mode = 'view' | 'edit' | 'confirm-delete' | 'add-to-ticket';

export function MessageItem({
  message,
  viewerId,
  compact,
  onChanged,
}: {
  message: ChatMessage;
  viewerId: string;
  /** Same author as the message before, shortly after: no name line. */
  compact: boolean;
  onChanged(message: ChatMessage): void;
}) {
  const [mode, setMode] = useState<Mode>('view');
  const mine = message.author.id === viewerId;
  const created = new Date(message.createdAt);

  if (message.deleted) {
    return (
      <li className="ch-msg ch-msg--deleted" data-message-id={message.id}>
        <span className="ch-msg__gutter" aria-hidden="true" />
        <p className="ch-msg__deleted">This message was deleted.</p>
      </li>
    );
  }

  return (
    <li
      className={cx('ch-msg', compact && 'ch-msg--compact', mode !== 'view' && 'ch-msg--active')}
      data-message-id={message.id}
    >
      <span className="ch-msg__gutter">
        {compact ? (
          <time className="ch-msg__hover-time" dateTime={message.createdAt} title={fullDateTime(created)}>
            {timeOfDay(created)}
          </time>
        ) : (
          <Avatar name={message.author.name} seed={message.author.id} size="sm" />
        )}
      </span>
      <div className="ch-msg__main">
        {!compact && (
          <div className="ch-msg__head">
            <span className="ch-msg__author">{message.author.name}</span>
            <time className="ch-msg__time" dateTime={message.createdAt} title={fullDateTime(created)}>
              {timeOfDay(created)}
            </time>
          </div>
        )}
        {mode === 'edit' ? (
          <EditBox message={message} onDone={() => setMode('view')} onChanged={onChanged} />
        ) : (
          <p className="ch-msg__body">
            <Body text={message.body} viewerId={viewerId} />
            {message.editedAt && (
              <span className="ch-msg__edited" title={`Edited ${fullDateTime(new Date(message.editedAt))}`}>
                {' '}
                (edited)
              </span>
            )}
          </p>
        )}
        {message.ticketLinks.length > 0 && (
          <div className="ch-msg__tickets">
            {message.ticketLinks.map((ticket) => (
              <TicketCard key={ticket.id} ticket={ticket} />
            ))}
          </div>
        )}
        {message.addedToTickets.length > 0 && (
          <p className="ch-msg__noted">
            <FileIcon size={12} /> Added as a note to{' '}
            {message.addedToTickets.map((ticket, index) => (
              <span key={ticket.id}>
                {index > 0 && ', '}
                <Link to={`/tickets/${ticket.id}`}>#{ticket.number}</Link>
              </span>
            ))}
          </p>
        )}
        {mode === 'confirm-delete' && (
          <ConfirmDelete message={message} onDone={() => setMode('view')} onChanged={onChanged} />
        )}
        {mode === 'add-to-ticket' && <AddToTicket message={message} onDone={() => setMode('view')} />}
      </div>
      {mode === 'view' && (
        <div className="ch-msg__actions" role="group" aria-label="Message actions">
          <button
            type="button"
            className="ch-action"
            title="Add to a ticket as an internal note"
            onClick={() => setMode('add-to-ticket')}
          >
            <FileIcon size={14} />
            <span className="sb-visually-hidden">Add to ticket</span>
          </button>
          {mine && (
            <>
              <button type="button" className="ch-action" title="Edit" onClick={() => setMode('edit')}>
                <PencilIcon size={14} />
                <span className="sb-visually-hidden">Edit</span>
              </button>
              <button type="button" className="ch-action" title="Delete" onClick={() => setMode('confirm-delete')}>
                <TrashIcon size={14} />
                <span className="sb-visually-hidden">Delete</span>
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}

function EditBox({
  message,
  onDone,
  onChanged,
}: {
  message: ChatMessage;
  onDone(): void;
  onChanged(message: ChatMessage): void;
}) {
  const [initial] = useState(() => decodeMentions(message.body));
  const [text, setText] = useState(initial.text);
  const [error, setError] = useState<string | null>(null);
  const [edit, { loading }] = useMutation(EditChatMessageDocument);
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const area = ref.current;
    area?.focus();
    area?.setSelectionRange(area.value.length, area.value.length);
  }, []);
  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    try {
      const { data } = await edit({
        variables: { messageId: message.id, body: encodeMentions(text.trim(), initial.picked) },
      });
      if (data) onChanged(data.editChatMessage);
      onDone();
    } catch (failure) {
      setError(graphQLErrorMessage(failure) ?? 'Could not save the message');
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onDone();
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  };
  return (
    <form className="ch-edit" onSubmit={(event) => void save(event)}>
      <textarea
        ref={ref}
        className="ch-edit__input"
        aria-label="Edit message"
        value={text}
        rows={2}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {error && (
        <p className="ch-inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="ch-edit__buttons">
        <Button size="sm" variant="secondary" type="button" onClick={onDone}>
          Cancel
        </Button>
        <Button size="sm" type="submit" disabled={!text.trim() || loading}>
          Save
        </Button>
      </div>
    </form>
  );
}

function ConfirmDelete({
  message,
  onDone,
  onChanged,
}: {
  message: ChatMessage;
  onDone(): void;
  onChanged(message: ChatMessage): void;
}) {
  const [remove, { loading }] = useMutation(DeleteChatMessageDocument);
  const toast = useToast();
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const confirm = async () => {
    try {
      const { data } = await remove({ variables: { messageId: message.id } });
      if (data) onChanged(data.deleteChatMessage);
    } catch (failure) {
      toast.error(graphQLErrorMessage(failure) ?? 'Could not delete the message');
    }
    onDone();
  };
  return (
    <div
      className="ch-confirm"
      role="alertdialog"
      aria-label="Delete this message?"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone();
      }}
    >
      <span>Delete this message for everyone?</span>
      <Button size="sm" variant="secondary" onClick={onDone}>
        Cancel
      </Button>
      <Button size="sm" variant="danger" ref={ref} disabled={loading} onClick={() => void confirm()}>
        Delete
      </Button>
    </div>
  );
}

function AddToTicket({ message, onDone }: { message: ChatMessage; onDone(): void }) {
  const suggested = /(?<![\w&/#])#(\d{1,9})\b/.exec(message.body)?.[1] ?? '';
  const [number, setNumber] = useState(suggested);
  const [error, setError] = useState<string | null>(null);
  const [add, { loading }] = useMutation(AddChatMessageToTicketDocument);
  const toast = useToast();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ticketNumber = Number(number.replace(/^#/, ''));
    if (!Number.isInteger(ticketNumber) || ticketNumber <= 0) {
      setError('Enter a ticket number like 42');
      return;
    }
    try {
      await add({ variables: { messageId: message.id, ticketNumber } });
      toast.show(`Added to ticket #${ticketNumber} as an internal note`, 'success');
      onDone();
    } catch (failure) {
      setError(graphQLErrorMessage(failure) ?? 'Could not add the message to the ticket');
    }
  };
  return (
    <form className="ch-addticket" onSubmit={(event) => void submit(event)} aria-label="Add to ticket">
      <label className="ch-addticket__label">
        Add to ticket #
        <input
          className="ch-addticket__input"
          inputMode="numeric"
          aria-label="Ticket number"
          value={number}
          autoFocus
          onChange={(event) => setNumber(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onDone();
          }}
        />
      </label>
      <Button size="sm" variant="secondary" type="button" onClick={onDone}>
        Cancel
      </Button>
      <Button size="sm" type="submit" disabled={loading || !number.trim()}>
        Add as note
      </Button>
      {error && (
        <p className="ch-inline-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
