import { cx } from './cx';

export interface SpinnerProps {
  size?: 'sm' | 'lg';
  /** Announced to screen readers; omit when the spinner sits inside something already labelled busy. */
  label?: string;
  className?: string;
}

export function Spinner({ size = 'sm', label, className }: SpinnerProps) {
  const spinner = (
    <span className={cx('sb-spinner', size === 'lg' && 'sb-spinner--lg', className)} aria-hidden="true" />
  );
  if (!label) return spinner;
  return (
    <span role="status" style={{ display: 'inline-flex' }}>
      {spinner}
      <span className="sb-visually-hidden">{label}</span>
    </span>
  );
}
