import type { PresenceStatus } from '../../gql/graphql';
import { cx } from '../../shared/ui';

const LABELS: Record<PresenceStatus, string> = { ONLINE: 'online', AWAY: 'away', OFFLINE: 'offline' };

export function presenceLabel(status: PresenceStatus): string {
  return LABELS[status];
}

/** A green (online), amber (away) or hollow grey (offline) dot, labelled for screen readers. */
export function PresenceDot({ status, name }: { status: PresenceStatus; name?: string }) {
  const label = name ? `${name} is ${LABELS[status]}` : LABELS[status];
  return (
    <span
      className={cx('ch-presence', `ch-presence--${status.toLowerCase()}`)}
      role="img"
      aria-label={label}
      title={label}
      data-status={status}
    />
  );
}
