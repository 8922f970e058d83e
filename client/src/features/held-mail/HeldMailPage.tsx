// Held mail (/held-mail, admins and managers): mail the per-sender rate limit held back, or that
// could not be recorded, waiting for a person. Release makes the ticket ingestion would have made;
// discard keeps it in the mail log only. The list refreshes itself every half minute.
import { useState } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import {
  DiscardHeldMailDocument,
  HeldMailsDocument,
  ReleaseHeldMailDocument,
  type HeldMailFieldsFragment,
  type Role,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { useViewer } from '../auth/viewer';
import { fullDateTime } from '../../shared/format/time';
import {
  AlertTriangleIcon,
  Button,
  Card,
  EmptyState,
  MailIcon,
  Notice,
  Skeleton,
  TrashIcon,
  useToast,
} from '../../shared/ui';
import './held-mail.css';

/** Who reviews held mail (the server checks the same). */
export function canReviewHeldMail(role: Role): boolean {
  return role === 'SUPERADMIN' || role === 'ADMIN' || role === 'MANAGER';
}

export function HeldMailPage() {
  const viewer = useViewer();
  const allowed = canReviewHeldMail(viewer.role);
  const { data, error, refetch } = useQuery(HeldMailsDocument, { skip: !allowed, pollInterval: 30_000 });
  const [released, setReleased] = useState<HeldMailFieldsFragment[]>([]);
  if (!allowed) {
    return (
      <div className="sb-page">
        <Notice tone="danger" title="Held mail is for admins and managers" />
      </div>
    );
  }
  const mails = data?.heldMails ?? [];
  return (
    <div className="sb-page hm-page">
      <title>Held mail · Switchboard</title>
      <header className="sb-page__header">
        <span className="sb-page__eyebrow">Mail</span>
        <h1 className="sb-page__title">Held mail</h1>
        <p className="sb-page__lead">
          Mail held back because one sender opened too many tickets within an hour, or because it could not be recorded.
          Nothing here is lost: release it to make its ticket, or discard it.
        </p>
      </header>
      {released.length > 0 && (
        <Notice tone="success" title="Released">
          {released.map((mail) => (
            <span key={mail.id} className="hm-released">
              “{mail.subject || '(no subject)'}”{' '}
              {mail.ticketId ? (
                <Link to={`/tickets/${mail.ticketId}`}>open its ticket</Link>
              ) : (
                'recorded without a ticket'
              )}
            </span>
          ))}
        </Notice>
      )}
      {error && !data ? (
        <Notice tone="danger" title="Held mail could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !data ? (
        <Card>
          <Skeleton width="50%" height={16} />
        </Card>
      ) : mails.length === 0 ? (
        <EmptyState icon={<MailIcon size={24} />} title="No held mail">
          Mail over a sender&apos;s hourly limit appears here for review.
        </EmptyState>
      ) : (
        <ul className="hm-list" aria-label="Held mail">
          {mails.map((mail) => (
            <HeldMailCard
              key={mail.id}
              mail={mail}
              onReleased={(done) => {
                setReleased((list) => [done, ...list].slice(0, 5));
                void refetch();
              }}
              onDiscarded={() => void refetch()}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function HeldMailCard({
  mail,
  onReleased,
  onDiscarded,
}: {
  mail: HeldMailFieldsFragment;
  onReleased(mail: HeldMailFieldsFragment): void;
  onDiscarded(): void;
}) {
  const toast = useToast();
  const [release, releasing] = useMutation(ReleaseHeldMailDocument);
  const [discard, discarding] = useMutation(DiscardHeldMailDocument);
  const [confirming, setConfirming] = useState(false);
  const failed = Boolean(mail.lastError);
  const busy = releasing.loading || discarding.loading;
  const label = mail.subject || '(no subject)';
  return (
    <li className="hm-card sb-card" aria-label={label}>
      <div className="hm-card__head">
        <span className="hm-card__from">
          {mail.fromName ? `${mail.fromName} <${mail.fromAddress}>` : mail.fromAddress}
        </span>
        <time className="hm-card__time" dateTime={mail.createdAt}>
          {fullDateTime(new Date(mail.createdAt))}
        </time>
      </div>
      <div className="hm-card__subject">{label}</div>
      {mail.preview && <p className="hm-card__preview">{mail.preview}</p>}
      <div className="hm-card__meta">
        {mail.receivedAt && (
          <span className="hm-card__address">
            <span className="hm-card__dot" style={{ background: mail.receivedAt.color }} aria-hidden="true" />
            {mail.receivedAt.displayName} · {mail.receivedAt.address}
          </span>
        )}
        <span className={failed ? 'hm-card__reason hm-card__reason--failed' : 'hm-card__reason'}>
          {failed ? (
            <>
              <AlertTriangleIcon size={13} /> {mail.lastError}
            </>
          ) : (
            'Over the sender’s hourly limit'
          )}
        </span>
      </div>
      <div className="hm-card__actions">
        {confirming ? (
          <>
            <span>Discard this mail? It stays in the mail log but never becomes a ticket.</span>
            <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
              Keep
            </Button>
            <Button
              size="sm"
              variant="danger"
              loading={discarding.loading}
              onClick={async () => {
                try {
                  await discard({ variables: { id: mail.id } });
                  toast.show('Mail discarded', 'success');
                  onDiscarded();
                } catch (error) {
                  toast.error(graphQLErrorMessage(error) ?? 'The mail was not discarded');
                }
              }}
            >
              Discard
            </Button>
          </>
        ) : (
          <>
            <Button
              size="sm"
              variant="primary"
              loading={releasing.loading}
              disabled={busy}
              onClick={async () => {
                try {
                  const { data } = await release({ variables: { id: mail.id } });
                  if (data) onReleased(data.releaseHeldMail);
                } catch (error) {
                  toast.error(graphQLErrorMessage(error) ?? 'The mail was not released');
                }
              }}
            >
              Release
            </Button>
            <Button
              size="sm"
              variant="secondary"
              icon={<TrashIcon size={14} />}
              disabled={busy}
              onClick={() => setConfirming(true)}
            >
              Discard…
            </Button>
          </>
        )}
      </div>
    </li>
  );
}
