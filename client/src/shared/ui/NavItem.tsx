// One link of the agent app's side navigation: icon, label, an optional badge, and the "current
// page" state (highlighted and announced) that the caller works out, since pages match differently
// (a query string for inbox views, a path prefix for sections, the exact path elsewhere).
import type { ComponentType, ReactNode } from 'react';
import { Link } from 'react-router';
import { cx } from './cx';

export interface NavItemProps {
  to: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
  /** 16 in sub-lists, 18 otherwise. */
  iconSize?: number;
  active?: boolean;
  /** Shown after the label; say the same in `ariaLabel`, since the badge is hidden from readers. */
  badge?: ReactNode;
  ariaLabel?: string;
  className?: string;
}

export function NavItem({
  to,
  label,
  icon: Icon,
  iconSize = 18,
  active = false,
  badge,
  ariaLabel,
  className,
}: NavItemProps) {
  return (
    <Link
      to={to}
      className={cx('sb-sidenav__link', active && 'active', className)}
      aria-current={active ? 'page' : undefined}
      aria-label={ariaLabel}
    >
      <Icon size={iconSize} />
      <span>{label}</span>
      {badge}
    </Link>
  );
}
