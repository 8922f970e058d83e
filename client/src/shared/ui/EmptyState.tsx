import type { ReactNode } from 'react';
import { cx } from './cx';

/** What a list shows when it has nothing: an icon, a sentence, and the way forward. */
export function EmptyState({
  icon,
  title,
  children,
  action,
  className,
}: {
  icon?: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cx('sb-empty', className)}>
      {icon && (
        <span className="sb-empty__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <p className="sb-empty__title">{title}</p>
      {children && <div className="sb-empty__text">{children}</div>}
      {action && <div className="sb-empty__action">{action}</div>}
    </div>
  );
}

/** A keyboard key, as in "Press ⌘ Enter". */
export function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="sb-kbd">{children}</kbd>;
}
