import type { ButtonHTMLAttributes, ReactNode, Ref } from 'react';
import { cx } from './cx';
import { Spinner } from './Spinner';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'sm' | 'md' | 'lg';
  /** Shows a spinner and ignores clicks while an action runs. */
  loading?: boolean;
  block?: boolean;
  icon?: ReactNode;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = 'secondary',
  size = 'md',
  loading = false,
  block = false,
  icon,
  className,
  children,
  type = 'button',
  disabled,
  onClick,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      className={cx(
        'sb-button',
        `sb-button--${variant}`,
        size !== 'md' && `sb-button--${size}`,
        block && 'sb-button--block',
        className,
      )}
      disabled={disabled}
      aria-busy={loading || undefined}
      onClick={loading ? (event) => event.preventDefault() : onClick}
    >
      {icon && (
        <span className={cx('sb-button__icon', loading && 'sb-button__label--hidden')} aria-hidden="true">
          {icon}
        </span>
      )}
      <span className={cx(loading && 'sb-button__label--hidden')}>{children}</span>
      {loading && (
        <span className="sb-button__spinner">
          <Spinner />
        </span>
      )}
    </button>
  );
}
