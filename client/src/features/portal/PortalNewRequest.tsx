// A customer's new request: a subject and what they need.
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from '@apollo/client/react';
import { CreateTicketDocument } from '../../gql/graphql';
import { ArrowLeftIcon, Button, Card, Notice, TextArea, TextField } from '../../shared/ui';
import { fieldErrors } from '../tickets/CreateTicketPage';
import './portal.css';

export function PortalNewRequest() {
  const navigate = useNavigate();
  const [createTicket, { loading }] = useMutation(CreateTicketDocument);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<{ title?: string; description?: string }>({});
  const [problem, setProblem] = useState<string | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const descriptionRef = useRef<HTMLTextAreaElement>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (loading) return;
    const local: { title?: string; description?: string } = {};
    if (!title.trim()) local.title = 'Add a short subject';
    if (!description.trim()) local.description = 'Tell us what you need help with';
    setErrors(local);
    setProblem(null);
    if (local.title) return titleRef.current?.focus();
    if (local.description) return descriptionRef.current?.focus();
    try {
      const { data } = await createTicket({
        variables: { input: { title: title.trim(), description: description.trim() } },
      });
      if (!data) throw new Error('No answer');
      navigate(`/portal/tickets/${data.createTicket.id}`);
    } catch (error) {
      const { fields, other } = fieldErrors(error);
      setErrors({ title: fields.title, description: fields.description });
      setProblem(other ?? (fields.title || fields.description ? null : 'Your request was not sent. Please try again.'));
    }
  };

  return (
    <div className="sb-page sb-page--narrow">
      <title>New request · Support</title>
      <header className="pt-back-header">
        <Link to="/portal" className="pt-back">
          <ArrowLeftIcon size={16} /> Your requests
        </Link>
        <h1 className="sb-page__title">New request</h1>
        <p className="sb-page__lead">Tell us what’s going on. We’ll reply here and by email.</p>
      </header>
      <Card padding="lg" as="section">
        <form className="pt-form" onSubmit={onSubmit} noValidate aria-label="New request">
          {problem && (
            <Notice tone="danger" title="Your request was not sent">
              {problem}
            </Notice>
          )}
          <TextField
            ref={titleRef}
            label="Subject"
            autoFocus
            placeholder="A few words about the problem"
            maxLength={500}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            error={errors.title}
          />
          <TextArea
            ref={descriptionRef}
            label="Description"
            rows={7}
            placeholder="What happened? What did you expect? Include anything that helps us reproduce it."
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            error={errors.description}
          />
          <div className="pt-form__actions">
            <Link to="/portal" className="sb-button sb-button--ghost">
              Cancel
            </Link>
            <Button type="submit" variant="primary" loading={loading}>
              Send request
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
