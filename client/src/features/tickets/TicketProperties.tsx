// The side panel of the ticket view: status, assignee, team, urgency, importance, tags, requester.
import { useState, type KeyboardEvent } from 'react';
import { useMutation } from '@apollo/client/react';
import {
  UpdateTicketDocument,
  type AgentsQuery,
  type Level,
  type TeamsQuery,
  type TicketDetailFragment,
  type TicketStatus,
  type UpdateTicketInput,
} from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { fullDateTime, longAgo, useNow } from '../../shared/format/time';
import { Avatar, CloseIcon, PlusIcon, SelectField, TargetIcon, ZapIcon, useToast } from '../../shared/ui';
import { sourceColor } from '../inbox/sourceColor';
import { LEVELS, levelLabel, statusLabel } from './labels';
import { TicketSlaPanel } from '../sla/TicketSlaPanel';

type Changes = Omit<UpdateTicketInput, 'ticketId'>;

/** `updateTicket` for one ticket; its answer updates the cache, failures become a toast. */
export function useTicketUpdate(ticketId: string) {
  const [mutate, { loading }] = useMutation(UpdateTicketDocument);
  const toast = useToast();
  const update = async (changes: Changes): Promise<boolean> => {
    try {
      await mutate({ variables: { input: { ticketId, ...changes } } });
      return true;
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? 'The change was not saved. Check your connection and try again.');
      return false;
    }
  };
  return { update, saving: loading };
}

export function TicketProperties({
  ticket,
  agents,
  teams,
  viewerId,
}: {
  ticket: TicketDetailFragment;
  agents: AgentsQuery['agents'];
  teams: TeamsQuery['teams'];
  viewerId: string;
}) {
  const { update, saving } = useTicketUpdate(ticket.id);
  const now = useNow(60_000);
  const statuses: TicketStatus[] = [ticket.status, ...ticket.allowedStatuses.filter((s) => s !== ticket.status)];
  const assignedToMe = ticket.assignee?.id === viewerId;

  return (
    <div className="tk-props" aria-busy={saving || undefined}>
      <section className="tk-props__section" aria-labelledby="tk-props-title">
        <h2 className="tk-props__heading" id="tk-props-title">
          Properties
        </h2>
        <SelectField
          label="Status"
          size="sm"
          value={ticket.status}
          leading={<span className={`sb-status-dot sb-status-dot--${ticket.status.toLowerCase()}`} />}
          onChange={(event) => void update({ status: event.target.value as TicketStatus })}
        >
          {statuses.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Assignee"
          size="sm"
          value={ticket.assignee?.id ?? ''}
          labelAside={
            !assignedToMe && (
              <button type="button" className="tk-link-button" onClick={() => void update({ assigneeId: viewerId })}>
                Assign to me
              </button>
            )
          }
          leading={
            ticket.assignee ? <Avatar name={ticket.assignee.name} seed={ticket.assignee.id} size="xs" /> : undefined
          }
          onChange={(event) => void update({ assigneeId: event.target.value || null })}
        >
          <option value="">Unassigned</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.name}
              {agent.id === viewerId ? ' (you)' : ''}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Team"
          size="sm"
          value={ticket.team?.id ?? ''}
          onChange={(event) => void update({ teamId: event.target.value || null })}
        >
          <option value="">No team</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </SelectField>
        <div className="tk-props__pair">
          <LevelSelect label="Urgency" value={ticket.urgency} onChange={(urgency) => void update({ urgency })} />
          <LevelSelect
            label="Importance"
            value={ticket.importance}
            onChange={(importance) => void update({ importance })}
          />
        </div>
      </section>

      <section className="tk-props__section" aria-labelledby="tk-tags-title">
        <h2 className="tk-props__heading" id="tk-tags-title">
          Tags
        </h2>
        <TagEditor tags={ticket.tags} onChange={(tags) => update({ tags })} />
      </section>

      {ticket.requester && (
        <section className="tk-props__section" aria-labelledby="tk-requester-title">
          <h2 className="tk-props__heading" id="tk-requester-title">
            Requester
          </h2>
          <div className="tk-person">
            <Avatar name={ticket.requester.name} seed={ticket.requester.id} size="md" />
            <div className="tk-person__text">
              <p className="tk-person__name">{ticket.requester.name}</p>
              <a className="tk-person__email" href={`mailto:${ticket.requester.email}`}>
                {ticket.requester.email}
              </a>
              {ticket.requester.company && <p className="tk-person__meta">{ticket.requester.company.name}</p>}
            </div>
          </div>
        </section>
      )}

      <TicketSlaPanel sla={ticket.sla} />

      <section className="tk-props__section" aria-labelledby="tk-details-title">
        <h2 className="tk-props__heading" id="tk-details-title">
          Details
        </h2>
        <dl className="tk-facts">
          <dt>Channel</dt>
          <dd>
            {ticket.emailAddress ? (
              <span className="tk-channel" title={ticket.emailAddress.address}>
                <span className="tk-channel__dot" style={{ background: sourceColor(ticket) }} aria-hidden="true" />
                {ticket.emailAddress.displayName}
              </span>
            ) : (
              'Created here'
            )}
          </dd>
          <dt>Type</dt>
          <dd>{ticket.issueType}</dd>
          <dt>Created</dt>
          <dd title={fullDateTime(new Date(ticket.createdAt))}>{longAgo(new Date(ticket.createdAt), now)}</dd>
          <dt>First response</dt>
          <dd title={ticket.firstResponseAt ? fullDateTime(new Date(ticket.firstResponseAt)) : undefined}>
            {ticket.firstResponseAt ? longAgo(new Date(ticket.firstResponseAt), now) : 'Not yet'}
          </dd>
          <dt>Last activity</dt>
          <dd title={fullDateTime(new Date(ticket.lastActivityAt))}>{longAgo(new Date(ticket.lastActivityAt), now)}</dd>
          {ticket.resolvedAt && (
            <>
              <dt>Resolved</dt>
              <dd title={fullDateTime(new Date(ticket.resolvedAt))}>{longAgo(new Date(ticket.resolvedAt), now)}</dd>
            </>
          )}
        </dl>
      </section>
    </div>
  );
}

function LevelSelect({ label, value, onChange }: { label: string; value: Level; onChange(level: Level): void }) {
  const Icon = label === 'Urgency' ? ZapIcon : TargetIcon;
  return (
    <SelectField
      label={label}
      size="sm"
      value={value}
      leading={<Icon size={13} className={`tk-level-icon tk-level-icon--${value.toLowerCase()}`} />}
      onChange={(event) => onChange(event.target.value as Level)}
    >
      {LEVELS.map((level) => (
        <option key={level} value={level}>
          {levelLabel(level)}
        </option>
      ))}
    </SelectField>
  );
}

/** Tags as removable chips and a field to add more (Enter or comma). */
export function TagEditor({
  tags,
  onChange,
  label = 'Add a tag',
}: {
  tags: readonly string[];
  onChange(tags: string[]): Promise<boolean> | void;
  label?: string;
}) {
  const [value, setValue] = useState('');
  const add = async () => {
    const tag = value.trim().toLowerCase().replace(/\s+/g, '-').replace(/^#/, '');
    if (!tag) return;
    if (tags.includes(tag)) {
      setValue('');
      return;
    }
    const result = await onChange([...tags, tag]);
    if (result !== false) setValue('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      void add();
    } else if (event.key === 'Backspace' && !value && tags.length > 0) {
      void onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className="tk-tags">
      {tags.length > 0 && (
        <ul className="tk-tags__list" aria-label="Tags">
          {tags.map((tag) => (
            <li key={tag} className="sb-tag sb-tag--removable">
              {tag}
              <button
                type="button"
                className="sb-tag__remove"
                aria-label={`Remove tag ${tag}`}
                onClick={() => void onChange(tags.filter((t) => t !== tag))}
              >
                <CloseIcon size={11} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="tk-tags__add">
        <PlusIcon size={14} />
        <input
          className="tk-tags__input"
          value={value}
          placeholder={label}
          aria-label={label}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => void add()}
        />
      </div>
    </div>
  );
}
