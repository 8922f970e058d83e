// Creating a ticket by hand (/tickets/new): for a customer who phoned, or work found internally.
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation, useQuery } from '@apollo/client/react';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import {
  AgentsDocument,
  CreateTicketDocument,
  SupportAddressesDocument,
  TeamsDocument,
  type Level,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorCode } from '../../app/errors';
import {
  ArrowLeftIcon,
  Button,
  Card,
  Notice,
  SelectField,
  TargetIcon,
  TextArea,
  TextField,
  ZapIcon,
  cx,
} from '../../shared/ui';
import { useViewer } from '../auth/viewer';
import { LEVELS, levelLabel } from './labels';
import { TagEditor } from './TicketProperties';
import './tickets.css';

type Field =
  | 'emailAddressId'
  | 'title'
  | 'description'
  | 'requesterEmail'
  | 'requesterName'
  | 'assigneeId'
  | 'teamId'
  | 'tags'
  | 'urgency'
  | 'importance';
const FIELDS: readonly string[] = [
  'emailAddressId',
  'title',
  'description',
  'requesterEmail',
  'requesterName',
  'assigneeId',
  'teamId',
  'tags',
  'urgency',
  'importance',
];

/** Field errors from BAD_USER_INPUT answers (`extensions.field`), and whatever is left over. */
export function fieldErrors(error: unknown): { fields: Partial<Record<Field, string>>; other: string | null } {
  const fields: Partial<Record<Field, string>> = {};
  let other: string | null = null;
  if (!CombinedGraphQLErrors.is(error)) return { fields, other: connectionMessage(error) };
  for (const item of error.errors) {
    const field = item.extensions?.['field'];
    if (item.extensions?.['code'] === 'BAD_USER_INPUT' && typeof field === 'string' && FIELDS.includes(field)) {
      fields[field as Field] ??= item.message.charAt(0).toUpperCase() + item.message.slice(1);
    } else {
      other ??= item.message;
    }
  }
  return { fields, other };
}

function LevelPicker({
  label,
  value,
  onChange,
}: {
  label: 'Urgency' | 'Importance';
  value: Level;
  onChange(level: Level): void;
}) {
  const Icon = label === 'Urgency' ? ZapIcon : TargetIcon;
  return (
    <fieldset className="tk-levels">
      <legend className="sb-field__label">{label}</legend>
      <div className="tk-levels__options">
        {[...LEVELS].reverse().map((level) => (
          <label
            key={level}
            className={cx(
              'tk-levels__option',
              value === level && 'tk-levels__option--on',
              `tk-levels__option--${level.toLowerCase()}`,
            )}
          >
            <input type="radio" name={label} value={level} checked={value === level} onChange={() => onChange(level)} />
            {level === 'CRITICAL' && <Icon size={13} />}
            {levelLabel(level)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function CreateTicketPage() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const agents = useQuery(AgentsDocument).data?.agents ?? [];
  const teams = useQuery(TeamsDocument).data?.teams ?? [];
  const addresses = (useQuery(SupportAddressesDocument).data?.emailAddresses ?? []).filter((a) => a.isActive);
  const [emailAddressId, setEmailAddressId] = useState<string | null>(null);
  const chosenAddress = emailAddressId ?? addresses.find((a) => a.isDefault)?.id ?? '';
  const [createTicket, { loading }] = useMutation(CreateTicketDocument);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [requesterEmail, setRequesterEmail] = useState('');
  const [requesterName, setRequesterName] = useState('');
  const [urgency, setUrgency] = useState<Level>('MEDIUM');
  const [importance, setImportance] = useState<Level>('MEDIUM');
  const [assigneeId, setAssigneeId] = useState('');
  const [teamId, setTeamId] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const emailRef = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (loading) return;
    const local: Partial<Record<Field, string>> = {};
    if (!title.trim()) local.title = 'Give the ticket a title';
    const email = requesterEmail.trim();
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      local.requesterEmail = 'Enter an email address like name@company.com';
    setErrors(local);
    setProblem(null);
    if (local.title) return titleRef.current?.focus();
    if (local.requesterEmail) return emailRef.current?.focus();
    try {
      const { data } = await createTicket({
        variables: {
          input: {
            title: title.trim(),
            description: description.trim(),
            urgency,
            importance,
            requesterEmail: email || null,
            requesterName: requesterName.trim() || null,
            assigneeId: assigneeId || null,
            teamId: teamId || null,
            tags,
            emailAddressId: chosenAddress || null,
          },
        },
      });
      if (!data) throw new Error('No answer from the server');
      navigate(`/tickets/${data.createTicket.id}`);
    } catch (error) {
      const { fields, other } = fieldErrors(error);
      setErrors(fields);
      setProblem(other ?? (Object.keys(fields).length ? null : 'The ticket was not created. Please try again.'));
      if (graphQLErrorCode(error) === 'BAD_USER_INPUT' && fields.title) titleRef.current?.focus();
    }
  };

  return (
    <div className="tk-create">
      <title>New ticket · Switchboard</title>
      <header className="tk-create__header">
        <Link to="/inbox" className="sb-icon-button" aria-label="Back to the inbox">
          <ArrowLeftIcon size={18} />
        </Link>
        <div>
          <h1 className="sb-page__title">New ticket</h1>
          <p className="sb-page__lead">Log a request on a customer’s behalf, or work your team has found.</p>
        </div>
      </header>
      <Card padding="lg" as="section" className="tk-create__card">
        <form className="tk-create__form" onSubmit={onSubmit} noValidate aria-label="New ticket">
          {problem && (
            <Notice tone="danger" title="The ticket was not created">
              {problem}
            </Notice>
          )}
          <TextField
            ref={titleRef}
            label="Title"
            autoFocus
            placeholder="What is the request about?"
            value={title}
            maxLength={500}
            onChange={(event) => setTitle(event.target.value)}
            error={errors.title}
          />
          <TextArea
            label="Description"
            placeholder="What happened, what the customer needs, anything that helps."
            rows={6}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            error={errors.description}
          />
          <div className="tk-create__row">
            <TextField
              ref={emailRef}
              label="Requester email"
              type="email"
              inputMode="email"
              autoComplete="off"
              placeholder="customer@company.com"
              hint="Leave empty for an internal ticket"
              value={requesterEmail}
              onChange={(event) => setRequesterEmail(event.target.value)}
              error={errors.requesterEmail}
            />
            <TextField
              label="Requester name"
              labelAside={<span className="tk-optional">Optional</span>}
              placeholder="Jordan Lee"
              value={requesterName}
              onChange={(event) => setRequesterName(event.target.value)}
              error={errors.requesterName}
            />
          </div>
          <div className="tk-create__row">
            <LevelPicker label="Urgency" value={urgency} onChange={setUrgency} />
            <LevelPicker label="Importance" value={importance} onChange={setImportance} />
          </div>
          <div className="tk-create__row">
            <SelectField
              label="Assignee"
              value={assigneeId}
              onChange={(event) => setAssigneeId(event.target.value)}
              error={errors.assigneeId}
              labelAside={
                assigneeId !== viewer.id && (
                  <button type="button" className="tk-link-button" onClick={() => setAssigneeId(viewer.id)}>
                    Assign to me
                  </button>
                )
              }
            >
              <option value="">Unassigned</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                  {agent.id === viewer.id ? ' (you)' : ''}
                </option>
              ))}
            </SelectField>
            <SelectField
              label="Team"
              value={teamId}
              onChange={(event) => setTeamId(event.target.value)}
              error={errors.teamId}
            >
              <option value="">No team</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </SelectField>
          </div>
          {addresses.length > 0 && (
            <SelectField
              label="Support address"
              hint="Replies to the customer go out from this address."
              value={chosenAddress}
              onChange={(event) => setEmailAddressId(event.target.value)}
              error={errors.emailAddressId}
            >
              <option value="">Default address</option>
              {addresses.map((address) => (
                <option key={address.id} value={address.id}>
                  {address.displayName} &lt;{address.address}&gt;
                </option>
              ))}
            </SelectField>
          )}
          <div className="sb-field">
            <span className="sb-field__label">Tags</span>
            <TagEditor tags={tags} onChange={(next) => setTags(next)} />
            {errors.tags && <p className="sb-field__error">{errors.tags}</p>}
          </div>
          <div className="tk-create__actions">
            <Link to="/inbox" className="sb-button sb-button--ghost">
              Cancel
            </Link>
            <Button type="submit" variant="primary" loading={loading}>
              Create ticket
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
