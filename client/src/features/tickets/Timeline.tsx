// The chat-style timeline (seed 002): customer messages on the left, agents' public replies on the
// right, internal notes on the right with a private look, system events as centred pills, date
// separators, grouping, a filter by type and a "jump to latest" button. It follows new events only
// while the reader is at the bottom; otherwise it counts them on the button.
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import {
  DeleteCommentDocument,
  EditCommentDocument,
  RestoreCommentDocument,
  TimelineMailHtmlDocument,
  type Role,
} from '../../gql/graphql';
import { graphQLErrorMessage } from '../../app/errors';
import { dayLabel, fileSize, fullDateTime, timeOfDay } from '../../shared/format/time';
import {
  AlertTriangleIcon,
  ArrowDownIcon,
  ArrowLeftIcon,
  Avatar,
  Button,
  ClockIcon,
  FileIcon,
  HistoryIcon,
  LockIcon,
  MailIcon,
  MessageIcon,
  PencilIcon,
  RestoreIcon,
  SettingsIcon,
  Skeleton,
  TagIcon,
  TargetIcon,
  TrashIcon,
  UserIcon,
  UsersIcon,
  ZapIcon,
  cx,
  useDismiss,
  useToast,
} from '../../shared/ui';
import { decodeMentions, encodeMentions, parseBody } from '../../shared/mentions/mention-syntax';
import {
  TIMELINE_FILTERS,
  buildTimeline,
  countByFilter,
  describeSystemEvent,
  emailDetails,
  isBounce,
  mailIdOf,
  movedFrom,
  previousId,
  type MessageItem,
  type Perspective,
  type Person,
  type SystemIcon,
  type TimelineEvent,
  type TimelineFilter,
  type TimelineItem,
} from './timeline-model';
import type { TimelineStatus } from './useLiveTimeline';
import { MoveEmailPanel } from './MoveEmail';

export interface TimelineViewer {
  id: string;
  role: Role;
}

export interface TimelineViewProps {
  events: readonly TimelineEvent[];
  status: TimelineStatus;
  perspective: Perspective;
  requester: Person | null;
  viewer: TimelineViewer;
  onRetry(): void;
  /** A comment changed by this page (edit, delete, restore): the server's copy. */
  onChanged(event: TimelineEvent): void;
  nameOf?: (userId: string) => string | undefined;
}

const BOTTOM_SLACK_PX = 72;

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

export function TimelineView({
  events,
  status,
  perspective,
  requester,
  viewer,
  onRetry,
  onChanged,
  nameOf,
}: TimelineViewProps) {
  const [filter, setFilter] = useState<TimelineFilter>('all');
  const items = useMemo(
    () => buildTimeline(events, { filter, perspective, requester }),
    [events, filter, perspective, requester],
  );
  const counts = useMemo(() => countByFilter(events, perspective), [events, perspective]);
  const audience = perspective.kind === 'agent' ? 'agent' : 'customer';

  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const [atBottom, setAtBottom] = useState(true);
  const [unseen, setUnseen] = useState(0);
  const lastKeyRef = useRef<string | null>(null);
  const seenKeysRef = useRef<Set<string>>(new Set());

  const scrollToBottom = (smooth: boolean) => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    scroller.scrollTo({ top: scroller.scrollHeight, behavior: smooth && !prefersReducedMotion() ? 'smooth' : 'auto' });
    atBottomRef.current = true;
    setAtBottom(true);
    setUnseen(0);
  };

  const onScroll = () => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const bottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < BOTTOM_SLACK_PX;
    atBottomRef.current = bottom;
    setAtBottom(bottom);
    if (bottom) setUnseen(0);
  };

  // Another filter: start again at the bottom (declared first, so it runs before the effect below).
  useLayoutEffect(() => {
    lastKeyRef.current = null;
    seenKeysRef.current = new Set();
  }, [filter]);

  // New entries at the end: follow them when at the bottom (or when they are the viewer's own),
  // otherwise count them on the jump button. Filter changes start again at the bottom.
  useLayoutEffect(() => {
    const entries = items.filter((item) => item.type !== 'day');
    const last = entries.at(-1);
    const lastKey = last?.key ?? null;
    const seen = seenKeysRef.current;
    if (lastKeyRef.current === null) {
      if (lastKey !== null) scrollToBottom(false);
    } else if (lastKey !== lastKeyRef.current) {
      const fresh = entries.filter((item) => !seen.has(item.key));
      const own = fresh.some((item) => item.type === 'message' && item.author.id === viewer.id);
      if (atBottomRef.current || own) scrollToBottom(false);
      else if (fresh.length > 0) setUnseen((n) => n + fresh.length);
    }
    lastKeyRef.current = lastKey;
    for (const item of entries) seen.add(item.key);
  }, [items]);

  // Images loading, a bubble opening for editing, the composer growing: stay pinned to the bottom.
  useEffect(() => {
    const scroller = scrollerRef.current;
    const content = contentRef.current;
    if (!scroller || !content || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottomRef.current) scroller.scrollTop = scroller.scrollHeight;
    });
    observer.observe(content);
    observer.observe(scroller);
    return () => observer.disconnect();
  }, [status]);

  return (
    <section className="tl" aria-label="Timeline">
      <div className="tl-filters" role="toolbar" aria-label="Show">
        {TIMELINE_FILTERS.filter((option) => audience === 'agent' || option.value !== 'notes').map((option) => (
          <button
            key={option.value}
            type="button"
            className="tl-chip"
            aria-pressed={filter === option.value}
            onClick={() => setFilter(option.value)}
          >
            {option.label}
            <span className="tl-chip__count">{counts[option.value]}</span>
          </button>
        ))}
      </div>
      <div className="tl-scroller" ref={scrollerRef} onScroll={onScroll} tabIndex={0} aria-label="Conversation">
        <div className="tl-content" ref={contentRef}>
          {status === 'loading' && <TimelineSkeleton />}
          {status === 'error' && (
            <div className="tl-problem" role="alert">
              <p>The conversation could not be loaded.</p>
              <Button size="sm" onClick={onRetry}>
                Try again
              </Button>
            </div>
          )}
          {status === 'ready' && items.length === 0 && (
            <p className="tl-none">
              {filter === 'notes'
                ? 'No internal notes yet.'
                : filter === 'system'
                  ? 'No system events yet.'
                  : filter === 'messages'
                    ? 'No messages yet.'
                    : 'Nothing here yet.'}
            </p>
          )}
          {status === 'ready' && (
            <ol className="tl-list">
              {items.map((item) => (
                <TimelineEntry
                  key={item.key}
                  item={item}
                  audience={audience}
                  viewer={viewer}
                  onChanged={onChanged}
                  nameOf={nameOf}
                />
              ))}
            </ol>
          )}
        </div>
      </div>
      {!atBottom && status === 'ready' && (
        <button
          type="button"
          className={cx('tl-jump', unseen > 0 && 'tl-jump--new')}
          onClick={() => scrollToBottom(true)}
        >
          <ArrowDownIcon size={14} />
          {unseen > 0 ? `${unseen} new ${unseen === 1 ? 'event' : 'events'}` : 'Jump to latest'}
        </button>
      )}
    </section>
  );
}

function TimelineSkeleton() {
  return (
    <div className="tl-skeleton" aria-busy="true" aria-label="Loading the conversation">
      {[0, 1, 2].map((row) => (
        <div key={row} className={cx('tl-skeleton__row', row === 1 && 'tl-skeleton__row--right')}>
          <Skeleton width={28} height={28} radius={999} />
          <div className="tl-skeleton__bubble">
            <Skeleton width={120} height={10} />
            <Skeleton width="90%" height={10} />
            <Skeleton width="70%" height={10} />
          </div>
        </div>
      ))}
    </div>
  );
}

function TimelineEntry({
  item,
  audience,
  viewer,
  onChanged,
  nameOf,
}: {
  item: TimelineItem;
  audience: 'agent' | 'customer';
  viewer: TimelineViewer;
  onChanged(event: TimelineEvent): void;
  nameOf?: (userId: string) => string | undefined;
}) {
  if (item.type === 'day') {
    return (
      <li className="tl-day" role="separator" aria-label={dayLabel(item.date)}>
        <span>{dayLabel(item.date)}</span>
      </li>
    );
  }
  if (item.type === 'system') return <SystemPill event={item.event} audience={audience} nameOf={nameOf} />;
  return <MessageBubble item={item} audience={audience} viewer={viewer} onChanged={onChanged} />;
}

const systemIcons: Record<SystemIcon, (props: { size?: number }) => ReactNode> = {
  created: MessageIcon,
  status: SettingsIcon,
  assign: UserIcon,
  team: UsersIcon,
  urgency: ZapIcon,
  importance: TargetIcon,
  tags: TagIcon,
  title: PencilIcon,
  sla: ClockIcon,
  mail: MailIcon,
  other: SettingsIcon,
};

function SystemPill({
  event,
  audience,
  nameOf,
}: {
  event: TimelineEvent;
  audience: 'agent' | 'customer';
  nameOf?: (userId: string) => string | undefined;
}) {
  const description = describeSystemEvent(event, audience, nameOf);
  if (!description) return null;
  const Icon = systemIcons[description.icon];
  const date = new Date(event.createdAt);
  return (
    <li className={cx('tl-system', `tl-system--${description.tone}`)} data-kind={event.kind}>
      <span className="tl-system__pill">
        <span className="tl-system__icon" aria-hidden="true">
          <Icon size={13} />
        </span>
        <span className="tl-system__text">
          {description.phrases.map((phrase, index) =>
            typeof phrase === 'string' ? (
              <Fragment key={index}>{phrase}</Fragment>
            ) : (
              <strong key={index}>{phrase.strong}</strong>
            ),
          )}
        </span>
        <time className="tl-system__time" dateTime={event.createdAt} title={fullDateTime(date)}>
          {timeOfDay(date)}
        </time>
      </span>
    </li>
  );
}

/** A message's text: line breaks kept, mentions as chips, links clickable. */
export function MessageBody({ body, viewerId }: { body: string; viewerId?: string }) {
  return (
    <div className="tl-body">
      {parseBody(body).map((part, index) => {
        if (part.type === 'mention') {
          return (
            <span
              key={index}
              className={cx('sb-mention', part.userId === viewerId && 'sb-mention--me')}
              title={part.name}
            >
              @{part.name}
            </span>
          );
        }
        if (part.type === 'link') {
          return (
            <a key={index} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
              {part.href}
            </a>
          );
        }
        return <Fragment key={index}>{part.text}</Fragment>;
      })}
    </div>
  );
}

const LONG_BODY_CHARS = 1200;
const LONG_BODY_LINES = 16;

/** Long messages (a pasted log, a mail thread) are folded to a few lines until asked for. */
function CollapsibleBody({ body, viewerId }: { body: string; viewerId?: string }) {
  const long = body.length > LONG_BODY_CHARS || body.split('\n').length > LONG_BODY_LINES;
  const [open, setOpen] = useState(false);
  if (!long) return <MessageBody body={body} viewerId={viewerId} />;
  return (
    <div className={cx('tl-fold', open && 'tl-fold--open')}>
      <MessageBody body={body} viewerId={viewerId} />
      <button type="button" className="tl-fold__toggle" aria-expanded={open} onClick={() => setOpen((value) => !value)}>
        {open ? 'Show less' : 'Show more'}
      </button>
    </div>
  );
}

/** Copies `data-remote-src` into `src`, so the remote images of a sanitised mail load. */
export function withRemoteImages(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const image of doc.querySelectorAll<HTMLElement>('[data-remote-src]')) {
    image.setAttribute('src', image.getAttribute('data-remote-src') ?? '');
    image.removeAttribute('data-remote-src');
  }
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

/** The mail's sanitised HTML in a sandboxed frame (no scripts, no same-origin access). */
function MailHtml({ event }: { event: TimelineEvent }) {
  const [remote, setRemote] = useState(false);
  const { data, loading, error } = useQuery(TimelineMailHtmlDocument, {
    variables: { ticketId: event.ticketId, after: previousId(event.id) },
  });
  const entry = data?.ticket?.timeline.find((item) => item.id === event.id);
  const html = entry?.mail?.html ?? null;
  const hasRemote = html !== null && html.includes('data-remote-src');
  const srcDoc = useMemo(() => {
    if (html === null) return null;
    const base =
      '<style>body{font:14px/1.5 system-ui,sans-serif;margin:12px;color:#18181c;background:#fff}img{max-width:100%}</style>';
    return base + (remote ? withRemoteImages(html) : html);
  }, [html, remote]);
  if (loading && !data) return <Skeleton width="100%" height={120} />;
  if (error) return <p className="tl-mail__problem">The HTML version could not be loaded.</p>;
  if (srcDoc === null) return <p className="tl-mail__problem">This mail has no HTML version.</p>;
  return (
    <div className="tl-mail__html">
      {hasRemote && !remote && (
        <div className="tl-mail__remote">
          <span>Remote images are blocked to protect your privacy.</span>
          <button type="button" className="tl-fold__toggle" onClick={() => setRemote(true)}>
            Load remote images
          </button>
        </div>
      )}
      <iframe sandbox="" srcDoc={srcDoc} title={`HTML version of the mail ${event.id}`} className="tl-mail__frame" />
    </div>
  );
}

/** An incoming mail: who wrote to whom, the subject, the new text (quoted text on demand). */
function EmailContent({ event, body }: { event: TimelineEvent; body: string }) {
  const mail = emailDetails(event);
  const [quoted, setQuoted] = useState(false);
  const [html, setHtml] = useState(false);
  const visible = mail.visibleText !== null && mail.visibleText.trim() ? mail.visibleText : body;
  const canShowQuoted = mail.hasQuoted && visible !== body && body.trim() !== '';
  const sender = mail.fromName && mail.from ? `${mail.fromName} <${mail.from}>` : (mail.from ?? mail.fromName);
  return (
    <div className="tl-mail">
      {(sender || mail.to.length > 0) && (
        <p className="tl-mail__route">
          {sender && <span className="tl-mail__from">{sender}</span>}
          {mail.to.length > 0 && (
            <>
              {' → '}
              {mail.to.join(', ')}
            </>
          )}
          {mail.cc.length > 0 && <span className="tl-mail__cc">, cc {mail.cc.join(', ')}</span>}
        </p>
      )}
      {(mail.subject || mail.automatic) && (
        <p className="tl-mail__subject">
          {mail.automatic && <span className="tl-badge tl-badge--auto">Auto-reply</span>}
          {mail.subject && <span>{mail.subject}</span>}
        </p>
      )}
      {mail.parseProblems.length > 0 && (
        <p className="tl-mail__problem" title={mail.parseProblems.join('\n')}>
          <AlertTriangleIcon size={13} /> Could not be parsed fully
        </p>
      )}
      {html ? (
        <MailHtml event={event} />
      ) : quoted ? (
        <MessageBody body={body} />
      ) : (
        visible && <CollapsibleBody body={visible} />
      )}
      <div className="tl-mail__toggles">
        {canShowQuoted && !html && (
          <button type="button" className="tl-fold__toggle" aria-expanded={quoted} onClick={() => setQuoted((v) => !v)}>
            {quoted ? 'Hide quoted text' : 'Show quoted text'}
          </button>
        )}
        <button type="button" className="tl-fold__toggle" aria-pressed={html} onClick={() => setHtml((v) => !v)}>
          {html ? 'View text' : 'View HTML'}
        </button>
      </div>
    </div>
  );
}

function Attachments({ event }: { event: TimelineEvent }) {
  if (event.attachments.length === 0) return null;
  const images = event.attachments.filter((a) => a.isImage);
  const files = event.attachments.filter((a) => !a.isImage);
  return (
    <div className="tl-attachments">
      {images.length > 0 && (
        <div className="tl-images">
          {images.map((image) => (
            <a
              key={image.id}
              className="tl-image"
              href={image.url}
              target="_blank"
              rel="noopener noreferrer"
              title={image.filename}
            >
              <img src={image.url} alt={image.filename} loading="lazy" />
            </a>
          ))}
        </div>
      )}
      {files.map((file) => (
        <a
          key={file.id}
          className="tl-file"
          href={file.url}
          target="_blank"
          rel="noopener noreferrer"
          download={file.filename}
        >
          <FileIcon size={16} />
          <span className="tl-file__name">{file.filename}</span>
          <span className="tl-file__size">{fileSize(file.size)}</span>
        </a>
      ))}
    </div>
  );
}

function channelOf(item: MessageItem, audience: 'agent' | 'customer'): { icon: ReactNode; label: string } | null {
  const { event, tone } = item;
  if (tone === 'note') return { icon: <LockIcon size={12} />, label: 'Internal note' };
  if (event.kind === 'EMAIL_IN') return { icon: <MailIcon size={12} />, label: 'Email' };
  if (event.kind === 'EMAIL_OUT') return { icon: <MailIcon size={12} />, label: 'Sent via email' };
  if (event.kind === 'TICKET_CREATED') {
    return {
      icon: <MessageIcon size={12} />,
      label: item.loggedBy ? `Logged by ${item.loggedBy}` : 'Opened the ticket',
    };
  }
  if (tone === 'reply' && audience === 'agent') return { icon: <MailIcon size={12} />, label: 'Public reply' };
  if (tone === 'reply') return { icon: null, label: 'Support team' };
  return null;
}

function MessageBubble({
  item,
  audience,
  viewer,
  onChanged,
}: {
  item: MessageItem;
  audience: 'agent' | 'customer';
  viewer: TimelineViewer;
  onChanged(event: TimelineEvent): void;
}) {
  const { event } = item;
  const toast = useToast();
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete' | 'move'>('view');
  const [editComment, editing] = useMutation(EditCommentDocument);
  const [deleteComment, deleting] = useMutation(DeleteCommentDocument);
  const [restoreComment, restoring] = useMutation(RestoreCommentDocument);
  const isComment = event.kind === 'COMMENT' || event.kind === 'NOTE';
  const own = Boolean(event.actor && event.actor.id === viewer.id);
  const admin = viewer.role === 'ADMIN' || viewer.role === 'SUPERADMIN';
  const canEdit = isComment && own && !item.deleted;
  const canDelete = isComment && (own || admin) && !item.deleted;
  const canRestore = isComment && admin && item.deleted;
  const mailId = mailIdOf(event);
  const canMove =
    event.kind === 'EMAIL_IN' &&
    audience === 'agent' &&
    viewer.role !== 'CUSTOMER' &&
    !item.movedTo &&
    !isBounce(event) &&
    mailId !== null;
  const cameFrom = event.kind === 'EMAIL_IN' && audience === 'agent' ? movedFrom(event) : null;
  const date = new Date(event.createdAt);
  const channel = channelOf(item, audience);

  const run = async (action: () => Promise<TimelineEvent | undefined>, failure: string) => {
    try {
      const changed = await action();
      if (changed) onChanged(changed);
      setMode('view');
    } catch (error) {
      toast.error(graphQLErrorMessage(error) ?? failure);
    }
  };

  const body = event.body ?? '';
  return (
    <li
      className={cx(
        'tl-msg',
        `tl-msg--${item.side}`,
        `tl-msg--${item.tone}`,
        item.continued && 'tl-msg--continued',
        item.deleted && 'tl-msg--deleted',
      )}
      data-kind={event.kind}
      data-event-id={event.id}
    >
      <div className="tl-msg__avatar">
        {!item.continued && <Avatar name={item.author.name} seed={item.author.id ?? item.author.name} size="sm" />}
      </div>
      <div className="tl-msg__stack">
        {!item.continued && (
          <div className="tl-msg__meta">
            <span className="tl-msg__author">{item.author.name}</span>
            {item.tone === 'note' && (
              <span className="tl-badge tl-badge--internal">
                <LockIcon size={11} /> Internal
              </span>
            )}
            {channel && item.tone !== 'note' && (
              <span className="tl-msg__channel">
                {channel.icon}
                {channel.label}
              </span>
            )}
          </div>
        )}
        <div className="tl-msg__row">
          <div className="tl-bubble">
            {item.deleted ? (
              <div className="tl-deleted">
                <TrashIcon size={14} />
                <span>
                  This {event.kind === 'NOTE' ? 'note' : 'comment'} was deleted
                  {item.deletedBy ? ` by ${item.deletedBy}` : ''}
                </span>
                {event.body && admin && <MessageBody body={event.body} viewerId={viewer.id} />}
                {canRestore && (
                  <Button
                    size="sm"
                    variant="secondary"
                    icon={<RestoreIcon size={14} />}
                    loading={restoring.loading}
                    onClick={() =>
                      void run(
                        async () => (await restoreComment({ variables: { eventId: event.id } })).data?.restoreComment,
                        'The comment could not be restored',
                      )
                    }
                  >
                    Restore
                  </Button>
                )}
              </div>
            ) : mode === 'edit' ? (
              <InlineEditor
                initial={body}
                saving={editing.loading}
                onCancel={() => setMode('view')}
                onSave={(text) =>
                  void run(
                    async () => (await editComment({ variables: { eventId: event.id, body: text } })).data?.editComment,
                    'Your edit was not saved',
                  )
                }
              />
            ) : item.movedTo ? (
              <div className="tl-moved">
                <MailIcon size={14} />
                <span>
                  This email was moved to{' '}
                  <Link to={`/tickets/${item.movedTo.ticketId}`}>
                    {item.movedTo.number !== null ? `#${item.movedTo.number}` : 'another ticket'}
                  </Link>
                  {item.movedTo.by ? ` by ${item.movedTo.by}` : ''}
                </span>
              </div>
            ) : (
              <>
                {cameFrom && (
                  <div className="tl-moved-from">
                    Moved here from{' '}
                    <Link to={`/tickets/${cameFrom.ticketId}`}>
                      {cameFrom.number !== null ? `#${cameFrom.number}` : 'another ticket'}
                    </Link>
                  </div>
                )}
                {event.kind === 'EMAIL_IN' ? (
                  <EmailContent event={event} body={body} />
                ) : (
                  body && <CollapsibleBody body={body} viewerId={viewer.id} />
                )}
                <Attachments event={event} />
              </>
            )}
            {mode === 'confirm-delete' && (
              <div className="tl-confirm" role="alertdialog" aria-label="Delete this comment?">
                <span>Delete this {event.kind === 'NOTE' ? 'note' : 'comment'}?</span>
                <Button size="sm" variant="ghost" onClick={() => setMode('view')}>
                  Cancel
                </Button>
                <Button
                  size="sm"
                  variant="danger"
                  loading={deleting.loading}
                  onClick={() =>
                    void run(
                      async () => (await deleteComment({ variables: { eventId: event.id } })).data?.deleteComment,
                      'The comment could not be deleted',
                    )
                  }
                >
                  Delete
                </Button>
              </div>
            )}
            {mode === 'move' && mailId && (
              <MoveEmailPanel mailId={mailId} ticketId={event.ticketId} onClose={() => setMode('view')} />
            )}
            {item.edited && !item.deleted && mode !== 'edit' && <EditedBadge event={event} viewerId={viewer.id} />}
          </div>
          <time className="tl-msg__time" dateTime={event.createdAt} title={fullDateTime(date)}>
            {timeOfDay(date)}
          </time>
          {(canEdit || canDelete || canMove) && mode === 'view' && (
            <div className="tl-actions">
              {canMove && (
                <button
                  type="button"
                  className="sb-icon-button sb-icon-button--sm tl-move-button"
                  aria-label="Move to another ticket"
                  title="Move to another ticket"
                  onClick={() => setMode('move')}
                >
                  <ArrowLeftIcon size={14} />
                </button>
              )}
              {canEdit && (
                <button
                  type="button"
                  className="sb-icon-button sb-icon-button--sm"
                  aria-label="Edit"
                  title="Edit"
                  onClick={() => setMode('edit')}
                >
                  <PencilIcon size={14} />
                </button>
              )}
              {canDelete && (
                <button
                  type="button"
                  className="sb-icon-button sb-icon-button--sm"
                  aria-label="Delete"
                  title="Delete"
                  onClick={() => setMode('confirm-delete')}
                >
                  <TrashIcon size={14} />
                </button>
              )}
            </div>
          )}
        </div>
      </div>
    </li>
  );
}

function InlineEditor({
  initial,
  saving,
  onSave,
  onCancel,
}: {
  initial: string;
  saving: boolean;
  onSave(text: string): void;
  onCancel(): void;
}) {
  const [{ text, picked }, setState] = useState(() => decodeMentions(initial));
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
  }, []);
  useEffect(() => {
    const area = ref.current;
    if (!area) return;
    area.style.height = 'auto';
    area.style.height = `${Math.min(area.scrollHeight + 2, 320)}px`;
  }, [text]);
  const save = () => {
    if (text.trim()) onSave(encodeMentions(text.trim(), picked));
  };
  return (
    <div className="tl-editor">
      <textarea
        ref={ref}
        className="tl-editor__input"
        value={text}
        aria-label="Edit message"
        onChange={(event) => setState({ text: event.target.value, picked })}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onCancel();
          }
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            save();
          }
        }}
      />
      <div className="tl-editor__actions">
        <Button size="sm" variant="ghost" onClick={onCancel}>
          Cancel
        </Button>
        <Button size="sm" variant="primary" loading={saving} disabled={!text.trim()} onClick={save}>
          Save
        </Button>
      </div>
    </div>
  );
}

function EditedBadge({ event, viewerId }: { event: TimelineEvent; viewerId: string }) {
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLSpanElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const close = useMemo(() => () => setOpen(false), []);
  useDismiss(open, rootRef, close, buttonRef);
  // Each revision holds a text as it was until the edit that replaced it (stamped with that edit).
  const texts = [...event.revisions.map((revision) => revision.body), ...(event.body ? [event.body] : [])];
  const times = [event.createdAt, ...event.revisions.map((revision) => revision.createdAt)];
  const versions = texts.map((body, index) => ({
    key: index,
    body,
    at: times[index] ?? event.editedAt ?? event.createdAt,
    current: Boolean(event.body) && index === texts.length - 1,
  }));
  return (
    <span className="tl-edited" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="tl-edited__button"
        aria-expanded={open}
        aria-haspopup="dialog"
        title={event.editedAt ? `Edited ${fullDateTime(new Date(event.editedAt))}` : 'Edited'}
        onClick={() => setOpen((value) => !value)}
      >
        <HistoryIcon size={11} />
        edited
      </button>
      {open && (
        <div className="sb-popover tl-history" role="dialog" aria-label="Edit history">
          <p className="sb-popover__title">Edit history</p>
          <ol className="tl-history__list">
            {versions.map((version, index) => (
              <li key={version.key} className="tl-history__item">
                <p className="tl-history__when">
                  {version.current ? 'Current version' : index === 0 ? 'Original' : `Version ${index + 1}`} ·{' '}
                  {fullDateTime(new Date(version.at))}
                </p>
                <MessageBody body={version.body} viewerId={viewerId} />
              </li>
            ))}
            {versions.length === 1 && (
              <li className="tl-history__item tl-history__none">Earlier versions are loading…</li>
            )}
          </ol>
        </div>
      )}
    </span>
  );
}
