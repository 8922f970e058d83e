import type { CSSProperties } from 'react';
import { cx } from './cx';

/** A grey placeholder block that shimmers while content loads. */
export function Skeleton({
  width,
  height = 12,
  radius,
  className,
}: {
  width?: number | string;
  height?: number | string;
  radius?: number | string;
  className?: string;
}) {
  const style: CSSProperties = { width, height, borderRadius: radius };
  return <span className={cx('sb-skeleton', className)} style={style} aria-hidden="true" />;
}
