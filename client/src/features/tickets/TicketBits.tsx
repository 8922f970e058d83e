// Small pieces that show a ticket's state wherever tickets appear: status, priority, tags.
import type { Level, TicketStatus } from '../../gql/graphql';
import { TargetIcon, ZapIcon, cx } from '../../shared/ui';
import { levelLabel, levelRank, statusLabel } from './labels';
import './ticket-bits.css';

export function StatusBadge({
  status,
  audience = 'agent',
  size = 'md',
}: {
  status: TicketStatus;
  audience?: 'agent' | 'customer';
  size?: 'sm' | 'md';
}) {
  return (
    <span className={cx('sb-status', `sb-status--${status.toLowerCase()}`, size === 'sm' && 'sb-status--sm')}>
      <span className="sb-status__dot" aria-hidden="true" />
      {statusLabel(status, audience)}
    </span>
  );
}

/** Signal bars for one of the two priority axes; critical is the seed's ⚡ (urgency) or 🎯 (importance). */
function LevelMeter({ axis, level }: { axis: 'urgency' | 'importance'; level: Level }) {
  const name = axis === 'urgency' ? 'Urgency' : 'Importance';
  const label = `${name}: ${levelLabel(level)}`;
  if (level === 'CRITICAL') {
    const Icon = axis === 'urgency' ? ZapIcon : TargetIcon;
    return (
      <span
        className={cx('sb-level', 'sb-level--critical', `sb-level--${axis}`)}
        title={label}
        role="img"
        aria-label={label}
      >
        <Icon size={14} strokeWidth={2.2} />
      </span>
    );
  }
  const rank = levelRank(level);
  return (
    <span className={cx('sb-level', `sb-level--${level.toLowerCase()}`)} title={label} role="img" aria-label={label}>
      {[1, 2, 3].map((bar) => (
        <span key={bar} className={cx('sb-level__bar', bar <= rank + 1 && 'sb-level__bar--on')} />
      ))}
    </span>
  );
}

/**
 * Urgency and importance side by side (seed 002): critical urgency ⚡, critical importance 🎯, and
 * both critical a red badge, the case where every agent is alerted.
 */
export function PriorityIndicator({
  urgency,
  importance,
  compact = false,
}: {
  urgency: Level;
  importance: Level;
  /** In dense rows the red badge shows its two icons only. */
  compact?: boolean;
}) {
  if (urgency === 'CRITICAL' && importance === 'CRITICAL') {
    const label = 'Critical urgency and critical importance';
    return (
      <span className="sb-priority sb-priority--both" title={label} role="img" aria-label={label}>
        <ZapIcon size={12} strokeWidth={2.4} />
        <TargetIcon size={12} strokeWidth={2.4} />
        {!compact && <span>Critical</span>}
      </span>
    );
  }
  return (
    <span className="sb-priority">
      <LevelMeter axis="urgency" level={urgency} />
      <LevelMeter axis="importance" level={importance} />
    </span>
  );
}

/** Tags as small chips; `max` shows the first few and "+2". */
export function TagList({ tags, max }: { tags: readonly string[]; max?: number }) {
  if (tags.length === 0) return null;
  const shown = max === undefined ? tags : tags.slice(0, max);
  const hidden = tags.length - shown.length;
  return (
    <span className="sb-tags">
      {shown.map((tag) => (
        <span key={tag} className="sb-tag">
          {tag}
        </span>
      ))}
      {hidden > 0 && (
        <span className="sb-tag sb-tag--more" title={tags.slice(shown.length).join(', ')}>
          +{hidden}
        </span>
      )}
    </span>
  );
}

/** Urgency and importance spelled out, for the ticket header: "⚡ High  🎯 Medium". */
export function PriorityLabels({ urgency, importance }: { urgency: Level; importance: Level }) {
  if (urgency === 'CRITICAL' && importance === 'CRITICAL')
    return <PriorityIndicator urgency={urgency} importance={importance} />;
  return (
    <span className="sb-priority-labels">
      <span
        className={cx('sb-level-chip', `sb-level-chip--${urgency.toLowerCase()}`)}
        title={`Urgency: ${levelLabel(urgency)}`}
      >
        <ZapIcon size={12} strokeWidth={2.2} />
        <span className="sb-visually-hidden">Urgency: </span>
        {levelLabel(urgency)}
      </span>
      <span
        className={cx('sb-level-chip', `sb-level-chip--${importance.toLowerCase()}`)}
        title={`Importance: ${levelLabel(importance)}`}
      >
        <TargetIcon size={12} strokeWidth={2.2} />
        <span className="sb-visually-hidden">Importance: </span>
        {levelLabel(importance)}
      </span>
    </span>
  );
}
