import type { ReactNode } from 'react';
import { cx } from './cx';
import { AlertIcon, CheckCircleIcon, CloseIcon, InfoIcon } from './icons';

export interface NoticeProps {
  tone?: 'info' | 'success' | 'warning' | 'danger';
  title?: ReactNode;
  children?: ReactNode;
  onDismiss?: () => void;
  className?: string;
}

const icons = {
  info: InfoIcon,
  success: CheckCircleIcon,
  warning: AlertIcon,
  danger: AlertIcon,
};

/** An inline message. Warnings and errors are announced at once (role="alert"), the rest politely. */
export function Notice({ tone = 'info', title, children, onDismiss, className }: NoticeProps) {
  const Icon = icons[tone];
  return (
    <div
      className={cx('sb-notice', `sb-notice--${tone}`, className)}
      role={tone === 'danger' || tone === 'warning' ? 'alert' : 'status'}
    >
      <span className="sb-notice__icon">
        <Icon size={16} />
      </span>
      <div className="sb-notice__body">
        {title && <p className="sb-notice__title">{title}</p>}
        {children && <div className="sb-notice__text">{children}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="sb-notice__dismiss" onClick={onDismiss} aria-label="Dismiss">
          <CloseIcon size={14} />
        </button>
      )}
    </div>
  );
}
