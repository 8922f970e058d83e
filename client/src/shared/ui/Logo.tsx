import { cx } from './cx';

/** The Switchboard mark: three lines patched together, on the accent colour. */
export function LogoMark({ size = 28, className }: { size?: number; className?: string }) {
  return (
    <svg
      className={cx('sb-logo-mark', className)}
      width={size}
      height={size}
      viewBox="0 0 32 32"
      aria-hidden="true"
      focusable="false"
    >
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M9 11.5h9.5M9 16h14M13.5 20.5H23" stroke="#fff" strokeWidth="2.6" strokeLinecap="round" />
      <circle cx="22.5" cy="11.5" r="2" fill="#fff" />
      <circle cx="9.5" cy="20.5" r="2" fill="#fff" />
    </svg>
  );
}
