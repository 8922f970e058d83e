// Who is in a channel, with presence; members add colleagues, and the channel's creator, managers
// and admins remove them (the server decides; a refusal shows as a message).
import { useId, useRef, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  InviteToChatChannelDocument,
  RemoveFromChatChannelDocument,
  type ChatChannelItemFragment,
} from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { Button, CloseIcon, UsersIcon, useDismiss, useToast } from '../../shared/ui';
import { useChat } from './ChatContext';
import { PresenceDot } from './PresenceDot';

export function MembersButton({ channel }: { channel: ChatChannelItemFragment }) {
  const chat = useChat();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [adding, setAdding] = useState('');
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  useDismiss(open, rootRef, () => setOpen(false), buttonRef);
  const [invite] = useMutation(InviteToChatChannelDocument);
  const [remove] = useMutation(RemoveFromChatChannelDocument);
  const memberIds = new Set(channel.members.map((m) => m.id));
  const candidates = chat.team.filter((p) => !memberIds.has(p.id));
  const editable = channel.kind !== 'DIRECT';

  const add = async (userId: string) => {
    try {
      await invite({ variables: { channelId: channel.id, userIds: [userId] } });
      setAdding('');
      chat.refetchChannels();
    } catch (failure) {
      toast.error(graphQLErrorMessage(failure) ?? 'Could not add them');
    }
  };
  const drop = async (userId: string) => {
    try {
      await remove({ variables: { channelId: channel.id, userId } });
      chat.refetchChannels();
    } catch (failure) {
      toast.error(graphQLErrorMessage(failure) ?? 'Could not remove them');
    }
  };

  return (
    <div className="ch-members" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="ch-icon ch-members__button"
        aria-label={`Members (${channel.members.length})`}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        <UsersIcon size={15} />
        <span aria-hidden="true">{channel.members.length}</span>
      </button>
      {open && (
        <div className="sb-popover ch-members__panel" id={panelId} role="dialog" aria-label="Members">
          <ul className="ch-people">
            {channel.members.map((member) => (
              <li key={member.id} className="ch-members__row">
                <PresenceDot status={chat.presenceOf(member.id)} name={member.name} />
                <span className="ch-row__name">
                  {member.name}
                  {member.id === chat.viewerId ? ' (you)' : ''}
                </span>
                {editable && member.id !== chat.viewerId && (
                  <button
                    type="button"
                    className="ch-icon"
                    aria-label={`Remove ${member.name}`}
                    title={`Remove ${member.name}`}
                    onClick={() => void drop(member.id)}
                  >
                    <CloseIcon size={13} />
                  </button>
                )}
              </li>
            ))}
          </ul>
          {editable && candidates.length > 0 && (
            <div className="ch-members__add">
              <label className="ch-form__label" htmlFor={`${panelId}-add`}>
                Add someone
              </label>
              <select
                id={`${panelId}-add`}
                className="sb-field__input ch-form__input"
                value={adding}
                onChange={(event) => setAdding(event.target.value)}
              >
                <option value="">Choose a teammate…</option>
                {candidates.map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.name}
                  </option>
                ))}
              </select>
              <Button size="sm" variant="primary" disabled={!adding} onClick={() => void add(adding)}>
                Add
              </Button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
