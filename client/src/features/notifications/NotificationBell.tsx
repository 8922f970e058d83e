// The bell in the agent app's top bar: the unread count, live, and the latest notifications.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  BellDocument,
  MarkNotificationsReadDocument,
  NotificationEventsDocument,
  type BellNotificationFragment,
  type BellQuery,
} from '../../gql/graphql';
import { useSocketStatus } from '../../app/socket-status';
import { longAgo, useNow } from '../../shared/format/time';
import { Avatar, BellIcon, CheckIcon, SettingsIcon, Spinner, cx, useDismiss, useToast } from '../../shared/ui';
import { notificationTarget } from './notification-model';
import { notificationKindBadge } from '../../shared/labels/kinds';
import './notifications.css';

export function NotificationBell() {
  const client = useApolloClient();
  const navigate = useNavigate();
  const toast = useToast();
  const { data, loading, refetch } = useQuery(BellDocument);
  const [markRead] = useMutation(MarkNotificationsReadDocument);
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, rootRef, close, buttonRef);
  const now = useNow(60_000);
  const socket = useSocketStatus();

  useSubscription(NotificationEventsDocument, {
    onData: ({ data: result }) => {
      const notification = result.data?.notificationEvents;
      if (!notification) return;
      client.cache.updateQuery({ query: BellDocument }, (bell): BellQuery | undefined => {
        if (!bell || bell.notifications.some((n) => n.id === notification.id)) return bell ?? undefined;
        return {
          unreadNotificationCount: bell.unreadNotificationCount + (notification.readAt ? 0 : 1),
          notifications: [notification, ...bell.notifications].slice(0, 50),
        };
      });
    },
  });

  // Back from a dropped connection: count again.
  const reconnects = useRef(socket.reconnects);
  useEffect(() => {
    if (socket.reconnects === reconnects.current) return;
    reconnects.current = socket.reconnects;
    void refetch().catch(() => undefined);
  }, [socket.reconnects, refetch]);

  const unread = data?.unreadNotificationCount ?? 0;
  const notifications = data?.notifications ?? [];

  const setRead = (ids: string[] | null) => {
    const readAt = new Date().toISOString();
    client.cache.updateQuery({ query: BellDocument }, (bell): BellQuery | undefined => {
      if (!bell) return undefined;
      const marked = bell.notifications.map((n) => (!n.readAt && (!ids || ids.includes(n.id)) ? { ...n, readAt } : n));
      const newlyRead = bell.notifications.filter((n) => !n.readAt && (!ids || ids.includes(n.id))).length;
      return {
        notifications: marked,
        unreadNotificationCount: ids ? Math.max(0, bell.unreadNotificationCount - newlyRead) : 0,
      };
    });
    markRead({ variables: { ids } }).catch(() => {
      toast.error('Could not mark notifications as read');
      void refetch().catch(() => undefined);
    });
  };

  const openNotification = (notification: BellNotificationFragment) => {
    if (!notification.readAt) setRead([notification.id]);
    setOpen(false);
    const target = notificationTarget(notification);
    if (target) navigate(target);
  };

  const label = unread > 0 ? `Notifications, ${unread} unread` : 'Notifications';
  return (
    <div className="nt" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="sb-icon-button nt-bell"
        aria-label={label}
        title="Notifications"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((value) => !value)}
      >
        <BellIcon size={19} />
        {unread > 0 && (
          <span className="nt-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div className="sb-popover nt-panel" id={panelId} role="dialog" aria-label="Notifications">
          <div className="nt-panel__header">
            <span className="nt-panel__title">Notifications</span>
            {unread > 0 && (
              <button type="button" className="tk-link-button" onClick={() => setRead(null)}>
                <CheckIcon size={13} /> Mark all read
              </button>
            )}
          </div>
          {loading && !data ? (
            <div className="nt-panel__empty">
              <Spinner label="Loading notifications" />
            </div>
          ) : notifications.length === 0 ? (
            <div className="nt-panel__empty">
              <span className="nt-panel__empty-icon">
                <BellIcon size={20} />
              </span>
              <p className="nt-panel__empty-title">You’re all caught up</p>
              <p>Mentions and tickets assigned to you show up here.</p>
            </div>
          ) : (
            <ul className="nt-list">
              {notifications.map((notification) => (
                <li key={notification.id}>
                  <button
                    type="button"
                    className={cx('nt-item', !notification.readAt && 'nt-item--unread')}
                    onClick={() => openNotification(notification)}
                  >
                    <Avatar name={notification.actor?.name ?? 'Switchboard'} seed={notification.actor?.id} size="sm" />
                    <span className="nt-item__text">
                      <span className="nt-item__title">{notification.title}</span>
                      <span className="nt-item__meta">
                        {notificationKindBadge(notification.kind)}
                        {notification.actor ? ` · ${notification.actor.name}` : ''} ·{' '}
                        {longAgo(new Date(notification.createdAt), now)}
                      </span>
                    </span>
                    {!notification.readAt && <span className="nt-item__dot" aria-label="Unread" role="img" />}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="nt-panel__footer">
            <Link to="/notifications" className="tk-link-button" onClick={() => setOpen(false)}>
              View all notifications
            </Link>
            <Link
              to="/notifications/preferences"
              className="tk-link-button"
              onClick={() => setOpen(false)}
              aria-label="Notification preferences"
            >
              <SettingsIcon size={13} /> Preferences
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
