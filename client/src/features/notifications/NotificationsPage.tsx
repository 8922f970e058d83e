// The notification centre (/notifications): every notification, newest first, unread filter, mark
// read or unread one by one or all at once. ↑/↓ move between notifications, Enter opens one.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { NetworkStatus } from '@apollo/client';
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import {
  BellDocument,
  MarkNotificationsReadDocument,
  MarkNotificationsUnreadDocument,
  NotificationCentreDocument,
  type BellNotificationFragment,
} from '../../gql/graphql';
import { connectionMessage, graphQLErrorMessage } from '../../app/errors';
import { fullDateTime, longAgo, useNow } from '../../shared/format/time';
import {
  Avatar,
  BellIcon,
  Button,
  CheckIcon,
  EmptyState,
  Notice,
  SettingsIcon,
  Skeleton,
  cx,
  useToast,
} from '../../shared/ui';
import { kindTone, notificationTarget } from './notification-model';
import { notificationKindBadge } from '../../shared/labels/kinds';
import './notifications.css';

type Filter = 'all' | 'unread';

export function NotificationsPage() {
  const client = useApolloClient();
  const navigate = useNavigate();
  const toast = useToast();
  const [filter, setFilter] = useState<Filter>('all');
  const unreadOnly = filter === 'unread';
  const { data, previousData, error, fetchMore, refetch, networkStatus } = useQuery(NotificationCentreDocument, {
    variables: { unreadOnly },
    notifyOnNetworkStatusChange: true,
  });
  const [markRead] = useMutation(MarkNotificationsReadDocument);
  const [markUnread] = useMutation(MarkNotificationsUnreadDocument);
  const [exhausted, setExhausted] = useState(false);
  const listRef = useRef<HTMLUListElement>(null);
  const now = useNow(60_000);
  const shown = data ?? previousData;
  const notifications = shown?.notifications ?? [];
  const unread = shown?.unreadNotificationCount ?? 0;

  // New notifications arrive through the bell's live subscription: show them here too.
  const newest = useQuery(BellDocument, { fetchPolicy: 'cache-only' }).data?.notifications[0]?.id;
  const seenNewest = useRef(newest);
  useEffect(() => {
    if (newest === seenNewest.current) return;
    seenNewest.current = newest;
    void refetch().catch(() => undefined);
  }, [newest, refetch]);

  useEffect(() => setExhausted(false), [filter]);

  /** Sets readAt on the cached notifications at once; the server confirms (or we reload). */
  const setReadLocally = (ids: string[], readAt: string | null) => {
    for (const id of ids) {
      client.cache.modify({
        id: client.cache.identify({ __typename: 'Notification', id }),
        fields: { readAt: () => readAt },
      });
    }
  };

  const change = async (ids: string[] | null, read: boolean) => {
    const targets = ids ?? notifications.filter((n) => !n.readAt).map((n) => n.id);
    setReadLocally(targets, read ? new Date().toISOString() : null);
    try {
      if (read) await markRead({ variables: { ids } });
      else await markUnread({ variables: { ids: targets } });
    } catch {
      toast.error(read ? 'Could not mark notifications as read' : 'Could not mark the notification as unread');
    }
    await Promise.all([
      refetch().catch(() => undefined),
      client.refetchQueries({ include: [BellDocument] }).catch(() => undefined),
    ]);
  };

  const open = (notification: BellNotificationFragment) => {
    if (!notification.readAt) void change([notification.id], true);
    const target = notificationTarget(notification);
    if (target) navigate(target);
  };

  const loadMore = () => {
    const last = notifications.at(-1);
    if (!last || networkStatus === NetworkStatus.fetchMore) return;
    void fetchMore({ variables: { unreadOnly, before: last.id } })
      .then((result) => {
        if ((result.data?.notifications.length ?? 0) < 30) setExhausted(true);
      })
      .catch(() => toast.error('Could not load older notifications'));
  };

  const onListKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = Array.from(listRef.current?.querySelectorAll<HTMLElement>('.nc-item__open') ?? []);
    const index = items.findIndex((item) => item === document.activeElement);
    if (index < 0) return;
    event.preventDefault();
    items[Math.max(0, Math.min(items.length - 1, index + (event.key === 'ArrowDown' ? 1 : -1)))]?.focus();
  };

  const canLoadMore = !exhausted && notifications.length >= 30 && notifications.length % 30 === 0;

  return (
    <div className="sb-page nc-page">
      <title>Notifications · Switchboard</title>
      <header className="nc-header">
        <div className="sb-page__header">
          <h1 className="sb-page__title">Notifications</h1>
          <p className="sb-page__lead" aria-live="polite">
            {unread === 0 ? 'You’re all caught up.' : `${unread} unread`}
          </p>
        </div>
        <Link to="/notifications/preferences" className="sb-button sb-button--ghost">
          <SettingsIcon size={15} /> Preferences
        </Link>
      </header>
      <div className="nc-toolbar">
        <div className="nc-filter" role="group" aria-label="Show">
          {(['all', 'unread'] as const).map((value) => (
            <button
              key={value}
              type="button"
              className="nc-filter__option"
              aria-pressed={filter === value}
              onClick={() => setFilter(value)}
            >
              {value === 'all' ? 'All' : 'Unread'}
            </button>
          ))}
        </div>
        <Button
          size="sm"
          icon={<CheckIcon size={14} />}
          disabled={unread === 0}
          onClick={() => void change(null, true)}
        >
          Mark all read
        </Button>
      </div>
      {error && !shown ? (
        <Notice tone="danger" title="Notifications could not be loaded">
          {graphQLErrorMessage(error) ?? connectionMessage(error)}
        </Notice>
      ) : !shown ? (
        <div className="sb-card nc-list" aria-busy="true">
          {[0, 1, 2].map((i) => (
            <div key={i} className="nc-item">
              <Skeleton width="60%" height={14} />
            </div>
          ))}
        </div>
      ) : notifications.length === 0 ? (
        <EmptyState
          icon={<BellIcon size={22} />}
          title={unreadOnly ? 'No unread notifications' : 'No notifications yet'}
        >
          Mentions, assignments, SLA warnings and critical tickets show up here.
        </EmptyState>
      ) : (
        <ul className="sb-card nc-list" aria-label="Notifications" ref={listRef} onKeyDown={onListKeyDown}>
          {notifications.map((notification) => {
            const target = notificationTarget(notification);
            const tone = kindTone(notification.kind);
            const created = new Date(notification.createdAt);
            return (
              <li key={notification.id} className={cx('nc-item', !notification.readAt && 'nc-item--unread')}>
                <Avatar name={notification.actor?.name ?? 'Switchboard'} seed={notification.actor?.id} size="sm" />
                <div className="nc-item__text">
                  <button type="button" className="nc-item__open" onClick={() => open(notification)}>
                    {notification.title}
                  </button>
                  <span className="nc-item__meta">
                    <span className={cx('nc-kind', tone && `nc-kind--${tone}`)}>
                      {notificationKindBadge(notification.kind)}
                    </span>
                    {notification.actor ? ` · ${notification.actor.name}` : ''} ·{' '}
                    <time dateTime={notification.createdAt} title={fullDateTime(created)}>
                      {longAgo(created, now)}
                    </time>
                    {!target && ' · nothing to open'}
                  </span>
                </div>
                {!notification.readAt && <span className="nt-item__dot" aria-label="Unread" role="img" />}
                <Button
                  size="sm"
                  variant="ghost"
                  className="nc-item__toggle"
                  onClick={() => void change([notification.id], !notification.readAt)}
                  aria-label={`${notification.readAt ? 'Mark as unread' : 'Mark as read'}: ${notification.title}`}
                >
                  {notification.readAt ? 'Mark unread' : 'Mark read'}
                </Button>
              </li>
            );
          })}
        </ul>
      )}
      {canLoadMore && (
        <div className="nc-more">
          <Button loading={networkStatus === NetworkStatus.fetchMore} onClick={loadMore}>
            Load older notifications
          </Button>
        </div>
      )}
    </div>
  );
}
